-- Request rollups become range-partitioned by time: `request_rollups` by UTC day, `request_rollups_hourly` by
-- UTC month. Retention then drops whole partitions instead of deleting rows, and queries over a time range read
-- only the partitions of that range. Prisma does not model partitions: the tables keep the columns and primary
-- keys schema.prisma declares, and the partitions are created by `rollup_partition` (below) on demand (ingest,
-- retention, this migration) and ahead of time (retention).
--
-- Each table has a DEFAULT partition as a safety net: a row whose partition does not exist yet (a writer that
-- did not ask for it, e.g. SQL by hand) lands there instead of failing. It stays empty in normal operation;
-- `rollup_partition` moves the rows of a new partition's range out of it before attaching the partition, and
-- retention folds and deletes its old rows like any other.

-- The partition of `parent` (request_rollups: the UTC day; request_rollups_hourly: the UTC month) that holds
-- `at`, created if missing; returns its name. Safe to call concurrently (one creator per table at a time, the
-- others find it made). Created as a plain table and then attached, which locks the parent only in SHARE UPDATE
-- EXCLUSIVE mode (CREATE TABLE … PARTITION OF would take ACCESS EXCLUSIVE and stall ingest and reads).
CREATE FUNCTION "rollup_partition"(parent TEXT, at TIMESTAMPTZ) RETURNS TEXT LANGUAGE plpgsql AS $$
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
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
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

-- The time-range partitions of a rollup table with their bounds (the DEFAULT partition is not listed).
CREATE FUNCTION "rollup_partitions"(parent TEXT)
RETURNS TABLE (part TEXT, lo TIMESTAMPTZ, hi TIMESTAMPTZ) LANGUAGE sql STABLE AS $$
  SELECT c.relname::text, b[1]::timestamptz, b[2]::timestamptz
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid),
                                    'FROM \(''([^'']+)''\) TO \(''([^'']+)''\)') AS b
   WHERE i.inhparent = to_regclass(quote_ident(parent)) AND b IS NOT NULL
   ORDER BY 2
$$;

-- request_rollups: partitioned by day. Every day that has rows gets its partition, and so do the days ingest
-- can write now (the 7-day late-data horizon, with a day of margin, to 2 days ahead).
ALTER TABLE "request_rollups" RENAME TO "request_rollups_unpartitioned";
ALTER INDEX "request_rollups_pkey" RENAME TO "request_rollups_unpartitioned_pkey";

CREATE TABLE "request_rollups" (
    "service_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "latency" INTEGER[],

    CONSTRAINT "request_rollups_pkey" PRIMARY KEY ("service_id","minute","endpoint_id","region_id","status")
) PARTITION BY RANGE ("minute");

CREATE TABLE "request_rollups_default" PARTITION OF "request_rollups" DEFAULT;

SELECT "rollup_partition"('request_rollups', d)
  FROM (SELECT DISTINCT date_trunc('day', "minute", 'UTC') AS d FROM "request_rollups_unpartitioned"
        UNION
        SELECT generate_series(now() - interval '8 days', now() + interval '2 days', interval '1 day')) AS days;

INSERT INTO "request_rollups" ("service_id", "endpoint_id", "region_id", "minute", "status", "count", "latency")
SELECT "service_id", "endpoint_id", "region_id", "minute", "status", "count", "latency"
  FROM "request_rollups_unpartitioned";

DROP TABLE "request_rollups_unpartitioned";

-- request_rollups_hourly: partitioned by month; every month that has rows, and this month and the next.
ALTER TABLE "request_rollups_hourly" RENAME TO "request_rollups_hourly_unpartitioned";
ALTER INDEX "request_rollups_hourly_pkey" RENAME TO "request_rollups_hourly_unpartitioned_pkey";

CREATE TABLE "request_rollups_hourly" (
    "service_id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "status" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "latency" INTEGER[],

    CONSTRAINT "request_rollups_hourly_pkey" PRIMARY KEY ("service_id","hour","endpoint_id","region_id","status")
) PARTITION BY RANGE ("hour");

CREATE TABLE "request_rollups_hourly_default" PARTITION OF "request_rollups_hourly" DEFAULT;

SELECT "rollup_partition"('request_rollups_hourly', m)
  FROM (SELECT DISTINCT date_trunc('month', "hour", 'UTC') AS m FROM "request_rollups_hourly_unpartitioned"
        UNION
        SELECT generate_series(now(), now() + interval '1 month', interval '1 month')) AS months;

INSERT INTO "request_rollups_hourly" ("service_id", "endpoint_id", "region_id", "hour", "status", "count", "latency")
SELECT "service_id", "endpoint_id", "region_id", "hour", "status", "count", "latency"
  FROM "request_rollups_hourly_unpartitioned";

DROP TABLE "request_rollups_hourly_unpartitioned";
