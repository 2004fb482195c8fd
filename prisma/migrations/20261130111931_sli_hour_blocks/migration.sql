-- SLI storage: one row per SLO x region x hour, holding its 60 minutes while recent, and running totals
-- (cum_good, cum_total) so that any window sum is the difference of two rows.

-- AlterTable
ALTER TABLE "sli_hours" ADD COLUMN     "cum_good" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "cum_total" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "minute_good" INTEGER[],
ADD COLUMN     "minute_total" INTEGER[];

-- Rows are rewritten in place every cycle (the current hour's minutes, running totals): leave room for HOT
-- updates (no indexed column changes, so the new version stays on its page and no index is touched).
ALTER TABLE "sli_hours" SET (fillfactor = 80);
-- Likewise the SLOs (claimed every cycle: last_evaluated_cycle, evaluations).
ALTER TABLE "slos" SET (fillfactor = 70);

-- Retention reads by hour (the hours whose minutes it drops, the hours it deletes): rows of an hour are written
-- together, so a BRIN index finds them in a few pages; it never changes on an update (hour is never rewritten).
CREATE INDEX "sli_hours_hour_idx" ON "sli_hours" USING BRIN ("hour");

-- CreateTable
CREATE TABLE "slo_regions" (
    "slo_id" UUID NOT NULL,
    "region_id" UUID NOT NULL,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "last_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_regions_pkey" PRIMARY KEY ("slo_id","region_id")
);
-- last_at moves every cycle: room for HOT updates.
ALTER TABLE "slo_regions" SET (fillfactor = 70);

-- The 60 per-minute counts of an hour, with minutes [lo, hi) (0-based) cleared, then vals set at idx. A NULL
-- base is an hour with no minutes yet.
CREATE FUNCTION "sli_merge_minutes"(base INTEGER[], lo INTEGER, hi INTEGER, idx INTEGER[], vals BIGINT[])
RETURNS INTEGER[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  merged INTEGER[] := coalesce(base, array_fill(0, ARRAY[60]));
  i INTEGER;
BEGIN
  FOR i IN greatest(lo, 0) .. least(hi, 60) - 1 LOOP
    merged[i + 1] := 0;
  END LOOP;
  IF idx IS NOT NULL THEN
    FOR i IN 1 .. coalesce(array_length(idx, 1), 0) LOOP
      merged[idx[i] + 1] := vals[i];
    END LOOP;
  END IF;
  RETURN merged;
END $$;

-- Data: the regions of every SLO, from both resolutions.
INSERT INTO "slo_regions" ("slo_id", "region_id", "first_at", "last_at")
SELECT "slo_id", "region_id", min(t), max(t)
  FROM (SELECT "slo_id", "region_id", "minute" AS t FROM "sli_minutes" WHERE "total" > 0
        UNION ALL
        SELECT "slo_id", "region_id", "hour" FROM "sli_hours" WHERE "total" > 0) x
 GROUP BY 1, 2;

-- Data: minutes that retention had not folded become hours with their minutes (a folded hour keeps its counts).
INSERT INTO "sli_hours" ("slo_id", "region_id", "hour", "good", "total", "minute_good", "minute_total")
SELECT "slo_id", "region_id", h, sum("good"), sum("total"),
       "sli_merge_minutes"(NULL, 0, 60, array_agg(i), array_agg("good"::bigint)),
       "sli_merge_minutes"(NULL, 0, 60, array_agg(i), array_agg("total"::bigint))
  FROM (SELECT "slo_id", "region_id", "good", "total", date_trunc('hour', "minute", 'UTC') AS h,
               ((extract(epoch FROM "minute") - extract(epoch FROM date_trunc('hour', "minute", 'UTC'))) / 60)::int AS i
          FROM "sli_minutes") m
 GROUP BY 1, 2, 3
ON CONFLICT DO NOTHING;

-- Data: running totals.
UPDATE "sli_hours" s SET "cum_good" = c.cg, "cum_total" = c.ct
  FROM (SELECT "slo_id", "region_id", "hour",
               sum("good") OVER w - "good" AS cg, sum("total") OVER w - "total" AS ct
          FROM "sli_hours"
        WINDOW w AS (PARTITION BY "slo_id", "region_id" ORDER BY "hour")) c
 WHERE s."slo_id" = c."slo_id" AND s."region_id" = c."region_id" AND s."hour" = c."hour";

-- DropTable
DROP TABLE "sli_minutes";
