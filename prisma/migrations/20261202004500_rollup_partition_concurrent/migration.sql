-- rollup_partition: two callers asking for the same new partition at once both make it once. The second one,
-- after waiting for the first one's lock, could still see the catalog as it was before the first one committed
-- (an advisory lock does not refresh it) and fail with "already exists"; it now returns the partition.
CREATE OR REPLACE FUNCTION "rollup_partition"(parent TEXT, at TIMESTAMPTZ) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
  monthly BOOLEAN;
  col TEXT;
  lo TIMESTAMP;
  hi TIMESTAMP;
  lo_s TEXT;
  hi_s TEXT;
  part TEXT;
  def TEXT := parent || '_default';
BEGIN
  IF parent = 'request_rollups' THEN
    monthly := false;
    col := 'minute';
  ELSIF parent = 'request_rollups_hourly' THEN
    monthly := true;
    col := 'hour';
  ELSE
    RAISE EXCEPTION 'rollup_partition: % is not a rollup table', parent;
  END IF;
  lo := date_trunc(CASE WHEN monthly THEN 'month' ELSE 'day' END, at AT TIME ZONE 'UTC');
  hi := lo + CASE WHEN monthly THEN interval '1 month' ELSE interval '1 day' END;
  part := parent || '_p' || to_char(lo, CASE WHEN monthly THEN 'YYYYMM' ELSE 'YYYYMMDD' END);
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('rollup_partition ' || parent));
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  lo_s := to_char(lo, 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
  hi_s := to_char(hi, 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
  BEGIN
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
  EXCEPTION WHEN duplicate_table THEN
    -- Made by a concurrent caller that committed while this one waited for the lock: the advisory lock does not
    -- refresh this transaction's view of the catalog, so the check above can miss it. It is complete (created
    -- and attached in one transaction).
    RETURN part;
  END;
  -- The bounds as a constraint: ATTACH then need not scan the new table.
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (%I >= %L AND %I < %L)',
                 part, part || '_bounds', col, lo_s, col, hi_s);
  IF to_regclass(quote_ident(def)) IS NOT NULL THEN
    -- Rows of this range already in the DEFAULT partition move to the new one. The lock keeps writers out of
    -- the DEFAULT partition until the new partition is attached (ATTACH takes this lock anyway).
    EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', def);
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', def, col, lo_s, col, hi_s, part);
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo_s, hi_s);
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_bounds');
  RETURN part;
END $$;
