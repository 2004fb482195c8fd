import { MINUTE_MS } from "@burnrate/slo-core";
import type { Db } from "../client";
import type { Tx } from "./sql-helpers";

/**
 * Runs `fn` in a transaction that holds the rows of `sloIds` (FOR NO KEY UPDATE, in id order: two writers of
 * the same SLO take turns, and never deadlock) and the scratch tables of a write; then recomputes the running
 * totals and the regions of every SLO × region that `fn` recorded in `sli_changed`. Deleted SLOs are skipped.
 */
export async function writeSli(
  db: Db,
  sloIds: string[],
  fn: (tx: Tx, locked: Set<string>) => Promise<void>,
): Promise<Set<string>> {
  return db.$transaction(
    async (tx) => {
      const locked = new Set(
        (
          await tx.$queryRawUnsafe<{ id: string }[]>(
            `SELECT id::text FROM slos WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
            [...new Set(sloIds)],
          )
        ).map((r) => r.id),
      );
      if (locked.size === 0) return locked;
      // Sorts and hashes of a whole shard's minutes stay in memory; these statements are many short index
      // probes, which JIT compilation only slows down.
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '64MB'`);
      await tx.$executeRawUnsafe(`SET LOCAL jit = off`);
      await tx.$executeRawUnsafe(
        `CREATE TEMP TABLE sli_targets (slo_id uuid PRIMARY KEY, service_id uuid, endpoint_id uuid, kind int,
                                        k int, from_ts timestamptz, to_ts timestamptz) ON COMMIT DROP`,
      );
      await tx.$executeRawUnsafe(
        `CREATE TEMP TABLE sli_fresh (slo_id uuid, region_id uuid, minute timestamptz, good bigint, total bigint)
         ON COMMIT DROP`,
      );
      await tx.$executeRawUnsafe(
        // Each hour written (h0), or the first hour from which a rebuild wrote; `exact`: the regions' first and
        // last minute must be recomputed from the hours (else they only widen to the fresh minutes).
        `CREATE TEMP TABLE sli_changed (slo_id uuid, region_id uuid, h0 timestamptz, exact boolean NOT NULL)
         ON COMMIT DROP`,
      );
      await tx.$executeRawUnsafe(
        `CREATE TEMP TABLE sli_cum (slo_id uuid, region_id uuid, hour timestamptz, cg bigint, ct bigint)
         ON COMMIT DROP`,
      );
      await fn(tx, locked);
      await tx.$executeRawUnsafe(`ANALYZE sli_changed`);
      await finishWrite(tx);
      return locked;
    },
    { timeout: 10 * MINUTE_MS, maxWait: MINUTE_MS },
  );
}

/** Merges `sli_fresh` into the hours of `sli_targets`: minutes [from_ts, to_ts) of each target are replaced. */
export async function mergeFresh(tx: Tx): Promise<void> {
  // Statistics of the scratch tables, so the planner sizes its joins by what they hold.
  await tx.$executeRawUnsafe(`ANALYZE sli_targets, sli_fresh`);
  await tx.$executeRawUnsafe(
    `WITH f AS (
       SELECT slo_id, region_id, date_trunc('hour', minute, 'UTC') AS hour,
              array_agg(((extract(epoch FROM minute) - extract(epoch FROM date_trunc('hour', minute, 'UTC'))) / 60)::int) AS idx,
              array_agg(good) AS g, array_agg(total) AS n
         FROM sli_fresh GROUP BY 1, 2, 3
     ), k AS (
       -- The hours with fresh minutes, and each other hour of the range of each SLO × region (its minutes are
       -- cleared: the rollups no longer count them, an excluded maintenance window, say); whether that hour
       -- has a row is the key lookup below. Most cycles have fresh minutes in every hour of the range, so
       -- nothing but the key lookups of f's hours reads sli_hours (a range scan per SLO × region was a third
       -- of the statement at 100,000 SLO × region).
       SELECT f.slo_id, f.region_id, f.hour FROM f
       UNION ALL
       SELECT r.slo_id, r.region_id, g.hour
         FROM sli_targets t JOIN slo_regions r ON r.slo_id = t.slo_id
         CROSS JOIN LATERAL generate_series(date_trunc('hour', t.from_ts, 'UTC'), t.to_ts - interval '1 microsecond',
                                            interval '1 hour') AS g(hour)
        WHERE t.to_ts > t.from_ts
          AND NOT EXISTS (SELECT 1 FROM f WHERE f.slo_id = r.slo_id AND f.region_id = r.region_id AND f.hour = g.hour)
     ), m AS (
       SELECT k.slo_id, k.region_id, k.hour,
              sli_merge_minutes(h.minute_good, b.lo, b.hi, f.idx, f.g) AS mg,
              sli_merge_minutes(h.minute_total, b.lo, b.hi, f.idx, f.n) AS mt
         FROM k JOIN sli_targets t ON t.slo_id = k.slo_id
         LEFT JOIN LATERAL (
           SELECT h.hour, h.minute_good, h.minute_total FROM sli_hours h
            WHERE h.slo_id = k.slo_id AND h.region_id = k.region_id AND h.hour = k.hour
           LIMIT 1) h ON true
         LEFT JOIN f ON f.slo_id = k.slo_id AND f.region_id = k.region_id AND f.hour = k.hour
         CROSS JOIN LATERAL (
           SELECT greatest(0, least(60, floor(extract(epoch FROM t.from_ts - k.hour) / 60)))::int AS lo,
                  greatest(0, least(60, ceil(extract(epoch FROM t.to_ts - k.hour) / 60)))::int AS hi) b
        -- an hour already folded to hour resolution keeps its counts; an hour of the range with neither a row
        -- nor fresh minutes stays without one
        WHERE (h.hour IS NULL AND f.slo_id IS NOT NULL) OR h.minute_total IS NOT NULL
     ), up AS (
       INSERT INTO sli_hours AS s (slo_id, region_id, hour, good, total, minute_good, minute_total)
       SELECT slo_id, region_id, hour, c.g, c.t, mg, mt
         FROM m CROSS JOIN LATERAL (SELECT coalesce(sum(a), 0) AS g, coalesce(sum(b), 0) AS t FROM unnest(mg, mt) AS u(a, b)) c
       ON CONFLICT (slo_id, region_id, hour) DO UPDATE
          SET good = EXCLUDED.good, total = EXCLUDED.total,
              minute_good = EXCLUDED.minute_good, minute_total = EXCLUDED.minute_total
        WHERE s.minute_good IS DISTINCT FROM EXCLUDED.minute_good
           OR s.minute_total IS DISTINCT FROM EXCLUDED.minute_total
       RETURNING s.slo_id, s.region_id, s.hour, s.total
     )
     INSERT INTO sli_changed (slo_id, region_id, h0, exact) SELECT slo_id, region_id, hour, total = 0 FROM up`,
  );
}

/**
 * After the hours of `sli_changed` were written: drops hours left without requests, recomputes the running
 * totals of every later hour, and refreshes the first and last minute of data of each SLO × region.
 */
async function finishWrite(tx: Tx): Promise<void> {
  // Hours a rewrite left without requests (exact rows name them).
  await tx.$executeRawUnsafe(
    `DELETE FROM sli_hours h USING sli_changed c
      WHERE c.exact AND h.slo_id = c.slo_id AND h.region_id = c.region_id AND h.hour = c.h0 AND h.total = 0`,
  );
  // Running totals from the first hour written, per SLO × region: index ranges only (OFFSET 0 keeps the
  // planner from joining the whole table), into a scratch table whose statistics then let the update probe
  // sli_hours by key instead of hashing all of it.
  await tx.$executeRawUnsafe(
    `INSERT INTO sli_cum (slo_id, region_id, hour, cg, ct)
     SELECT b.slo_id, b.region_id, x.hour,
            b.g0 + sum(x.good) OVER w - x.good, b.t0 + sum(x.total) OVER w - x.total
       FROM (SELECT c.slo_id, c.region_id, c.h0, coalesce(p.g0, 0) AS g0, coalesce(p.t0, 0) AS t0
               FROM (SELECT slo_id, region_id, min(h0) AS h0 FROM sli_changed GROUP BY 1, 2) c
               LEFT JOIN LATERAL (
                 SELECT x.cum_good + x.good AS g0, x.cum_total + x.total AS t0 FROM sli_hours x
                  WHERE x.slo_id = c.slo_id AND x.region_id = c.region_id AND x.hour < c.h0
                  ORDER BY x.hour DESC LIMIT 1) p ON true) b
       CROSS JOIN LATERAL (
         SELECT x.hour, x.good, x.total FROM sli_hours x
          WHERE x.slo_id = b.slo_id AND x.region_id = b.region_id AND x.hour >= b.h0 OFFSET 0) x
     WINDOW w AS (PARTITION BY b.slo_id, b.region_id ORDER BY x.hour)`,
  );
  await tx.$executeRawUnsafe(`ANALYZE sli_cum`);
  await tx.$executeRawUnsafe(
    `UPDATE sli_hours s SET cum_good = c.cg, cum_total = c.ct FROM sli_cum c
      WHERE s.slo_id = c.slo_id AND s.region_id = c.region_id AND s.hour = c.hour
        AND (s.cum_good <> c.cg OR s.cum_total <> c.ct)`,
  );
  // Regions: fresh minutes with requests widen the first and last minute of data.
  await tx.$executeRawUnsafe(
    `INSERT INTO slo_regions AS r (slo_id, region_id, first_at, last_at)
     SELECT slo_id, region_id, min(minute), max(minute) FROM sli_fresh WHERE total > 0 GROUP BY 1, 2
     ON CONFLICT (slo_id, region_id) DO UPDATE
        SET first_at = least(r.first_at, EXCLUDED.first_at), last_at = greatest(r.last_at, EXCLUDED.last_at)
      WHERE EXCLUDED.first_at < r.first_at OR EXCLUDED.last_at > r.last_at`,
  );
  // Regions where hours were rebuilt or emptied: the first and last hour, and within it the first/last minute.
  await tx.$executeRawUnsafe(
    `INSERT INTO slo_regions AS r (slo_id, region_id, first_at, last_at)
     SELECT c.slo_id, c.region_id, f.t, l.t
       FROM (SELECT DISTINCT slo_id, region_id FROM sli_changed WHERE exact) c
       CROSS JOIN LATERAL (
         SELECT h.hour + coalesce((SELECT min(i) - 1 FROM generate_subscripts(h.minute_total, 1) i
                                    WHERE h.minute_total[i] > 0), 0) * interval '1 minute' AS t
           FROM sli_hours h WHERE h.slo_id = c.slo_id AND h.region_id = c.region_id
          ORDER BY h.hour LIMIT 1) f
       CROSS JOIN LATERAL (
         SELECT h.hour + coalesce((SELECT max(i) - 1 FROM generate_subscripts(h.minute_total, 1) i
                                    WHERE h.minute_total[i] > 0), 0) * interval '1 minute' AS t
           FROM sli_hours h WHERE h.slo_id = c.slo_id AND h.region_id = c.region_id
          ORDER BY h.hour DESC LIMIT 1) l
     ON CONFLICT (slo_id, region_id) DO UPDATE SET first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at
      WHERE r.first_at <> EXCLUDED.first_at OR r.last_at <> EXCLUDED.last_at`,
  );
  await tx.$executeRawUnsafe(
    `DELETE FROM slo_regions r USING (SELECT DISTINCT slo_id, region_id FROM sli_changed WHERE exact) c
      WHERE r.slo_id = c.slo_id AND r.region_id = c.region_id
        AND NOT EXISTS (SELECT 1 FROM sli_hours h WHERE h.slo_id = c.slo_id AND h.region_id = c.region_id)`,
  );
}
