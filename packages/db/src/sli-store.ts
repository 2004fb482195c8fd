import { bucketsWithin, type SliSpec } from "@burnrate/contracts";
import type { Db } from "./client";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "./retention";
import { excludedMaintenanceSql, sliAggregateSql } from "./sli-sql";

/**
 * SLI storage. One row per SLO × region × hour in `sli_hours`:
 *  - good/total of the hour;
 *  - minute_good/minute_total: its 60 minutes, while the hour is within MINUTE_RETENTION_MS (retention then
 *    drops them, and the hour's counts stand for its first minute);
 *  - cum_good/cum_total: the running totals of every earlier hour of the SLO × region, so that the counts of
 *    any window are the difference of two running totals (cumulativeCounts), whatever the window's length.
 * `slo_regions` lists the regions where an SLO has data, with its first and last minute of data.
 * Every write goes through one transaction that locks the SLOs' rows (in id order), recomputes the running
 * totals from the first hour it changed, and refreshes `slo_regions`.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3600_000;

export interface SliTarget {
  sloId: string;
  serviceId: string;
  endpointId: string | null;
  failureStatuses: number[];
  sli: SliSpec;
}

export interface DenseSeries {
  startMs: number;
  good: Float64Array;
  total: Float64Array;
}

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The first minute that can be recomputed from minute rollups at `nowMs`: retention folds older minutes into
 * hours (rollups and SLI alike, at the same hour-aligned cutoff).
 */
export function minuteDetailFromMs(nowMs: number): number {
  return Math.floor((nowMs - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
}

/**
 * Runs `fn` in a transaction that holds the rows of `sloIds` (FOR NO KEY UPDATE, in id order: two writers of
 * the same SLO take turns, and never deadlock) and the scratch tables of a write; then recomputes the running
 * totals and the regions of every SLO × region that `fn` recorded in `sli_changed`. Deleted SLOs are skipped.
 */
async function writeSli(
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
    { timeout: 600_000, maxWait: 60_000 },
  );
}

/** Merges `sli_fresh` into the hours of `sli_targets`: minutes [from_ts, to_ts) of each target are replaced. */
async function mergeFresh(tx: Tx): Promise<void> {
  // Statistics of the scratch tables, so the planner sizes its joins by what they hold.
  await tx.$executeRawUnsafe(`ANALYZE sli_targets, sli_fresh`);
  await tx.$executeRawUnsafe(
    `WITH f AS (
       SELECT slo_id, region_id, date_trunc('hour', minute, 'UTC') AS hour,
              array_agg(((extract(epoch FROM minute) - extract(epoch FROM date_trunc('hour', minute, 'UTC'))) / 60)::int) AS idx,
              array_agg(good) AS g, array_agg(total) AS n
         FROM sli_fresh GROUP BY 1, 2, 3
     ), k AS (
       SELECT f.slo_id, f.region_id, f.hour FROM f
       UNION
       SELECT r.slo_id, r.region_id, h.hour
         FROM sli_targets t JOIN slo_regions r ON r.slo_id = t.slo_id
         CROSS JOIN LATERAL (
           SELECT h.hour FROM sli_hours h
            WHERE h.slo_id = r.slo_id AND h.region_id = r.region_id
              AND h.hour > t.from_ts - interval '1 hour' AND h.hour < t.to_ts
           OFFSET 0) h -- a fence: one index range per SLO × region, never a join over the whole table
        WHERE t.to_ts > t.from_ts
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
        -- an hour already folded to hour resolution keeps its counts
        WHERE h.hour IS NULL OR h.minute_total IS NOT NULL
     ), up AS (
       INSERT INTO sli_hours AS s (slo_id, region_id, hour, good, total, minute_good, minute_total)
       SELECT slo_id, region_id, hour, (SELECT coalesce(sum(v), 0) FROM unnest(mg) v),
              (SELECT coalesce(sum(v), 0) FROM unnest(mt) v), mg, mt
         FROM m
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

const SLI_KIND = { availability: 1, latency: 2, ratio: 3 } as const;

export interface RecomputeRange {
  target: SliTarget;
  /** Recompute minutes from here (clamped to minuteDetailFromMs) to the call's `toMs`. */
  fromMs: number;
}

/**
 * Recomputes the minutes [fromMs, toMs) of many SLOs from the minute rollups, in one transaction and a few
 * statements whatever the number of SLOs (ratio SLIs, whose filters compile to their own SQL, one statement
 * each). Minutes without requests become 0; hours left empty are dropped. Returns the SLOs written (those
 * still existing).
 */
export async function recomputeSli(db: Db, ranges: RecomputeRange[], toMs: number): Promise<Set<string>> {
  const floor = minuteDetailFromMs(toMs);
  const bySlo = new Map<string, RecomputeRange>();
  for (const r of ranges) {
    const fromMs = Math.max(floor, Math.floor(r.fromMs / MINUTE_MS) * MINUTE_MS);
    if (fromMs >= toMs) continue;
    const prev = bySlo.get(r.target.sloId);
    if (!prev || fromMs < prev.fromMs) bySlo.set(r.target.sloId, { target: r.target, fromMs });
  }
  if (bySlo.size === 0) return new Set();
  const list = [...bySlo.values()];
  return writeSli(
    db,
    list.map((r) => r.target.sloId),
    async (tx, locked) => {
      const mine = list.filter((r) => locked.has(r.target.sloId));
      await tx.$executeRawUnsafe(
        `INSERT INTO sli_targets (slo_id, service_id, endpoint_id, kind, k, from_ts, to_ts)
         SELECT s, v, e, kind, k, f, $7::timestamptz
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::int[], $6::timestamptz[])
             AS u(s, v, e, kind, k, f)`,
        mine.map((r) => r.target.sloId),
        mine.map((r) => r.target.serviceId),
        mine.map((r) => r.target.endpointId),
        mine.map((r) => SLI_KIND[r.target.sli.type]),
        mine.map((r) => (r.target.sli.type === "latency" ? bucketsWithin(r.target.sli.thresholdMs) : 0)),
        mine.map((r) => iso(r.fromMs)),
        iso(toMs),
      );
      await tx.$executeRawUnsafe(`ANALYZE sli_targets`);
      // Availability and latency SLIs of every SLO in one statement: each rollup row's good count first, then
      // the sums per SLO × region × minute. Endpoint SLOs join on (service, endpoint), service SLOs on service.
      if (mine.some((r) => r.target.sli.type !== "ratio")) {
        const rowGood = `CASE WHEN t.kind = 1
                              THEN CASE WHEN request_rollups.status = ANY(s.failure_statuses) THEN 0
                                        ELSE request_rollups.count END
                              ELSE (SELECT coalesce(sum(x), 0) FROM unnest(request_rollups.latency[1:t.k]) AS x) END`;
        const branch = (endpointScoped: boolean) =>
          `SELECT t.slo_id, request_rollups.region_id, request_rollups.minute, ${rowGood} AS g,
                  request_rollups.count AS n
             FROM sli_targets t
             JOIN services s ON s.id = t.service_id
             JOIN request_rollups ON request_rollups.service_id = t.service_id
              ${endpointScoped ? "AND request_rollups.endpoint_id = t.endpoint_id" : ""}
              AND request_rollups.minute >= t.from_ts AND request_rollups.minute < t.to_ts
            WHERE t.kind IN (1, 2) AND t.endpoint_id IS ${endpointScoped ? "NOT NULL" : "NULL"}
              AND NOT ${excludedMaintenanceSql("t.service_id")}`;
        await tx.$executeRawUnsafe(
          `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
           SELECT slo_id, region_id, minute, sum(g), sum(n)
             FROM (${branch(true)} UNION ALL ${branch(false)}) AS x
            GROUP BY 1, 2, 3`,
        );
      }
      for (const r of mine) {
        if (r.target.sli.type !== "ratio") continue;
        const agg = sliAggregateSql(r.target, 6);
        await tx.$executeRawUnsafe(
          `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
           SELECT $1::uuid, region_id, minute, (${agg.good})::bigint, (${agg.total})::bigint
             FROM request_rollups
            WHERE service_id = $2::uuid AND minute >= $3::timestamptz AND minute < $4::timestamptz
              AND ($5::uuid IS NULL OR endpoint_id = $5::uuid)
              AND NOT ${excludedMaintenanceSql("$2::uuid")}
            GROUP BY region_id, minute`,
          r.target.sloId,
          r.target.serviceId,
          iso(r.fromMs),
          iso(toMs),
          r.target.endpointId,
          ...agg.params,
        );
      }
      await mergeFresh(tx);
    },
  );
}

/**
 * Rebuilds the hours [fromMs, toMs) (hour-aligned, before minuteDetailFromMs) of one SLO at hour resolution,
 * from the hourly rollups and any minute rollups retention has not folded yet. For history older than the
 * minutes kept (a new or changed SLO's backfill): the hours' counts stand for their first minute.
 */
export async function rebuildSliHours(
  db: Db,
  target: SliTarget,
  fromMs: number,
  toMs: number,
): Promise<void> {
  const from = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const to = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  if (to <= from) return;
  await writeSli(db, [target.sloId], async (tx, locked) => {
    if (!locked.has(target.sloId)) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO sli_changed (slo_id, region_id, h0, exact)
       SELECT slo_id, region_id, $2::timestamptz, true FROM slo_regions WHERE slo_id = $1::uuid`,
      target.sloId,
      iso(from),
    );
    await tx.$executeRawUnsafe(
      `DELETE FROM sli_hours WHERE slo_id = $1::uuid AND hour >= $2::timestamptz AND hour < $3::timestamptz`,
      target.sloId,
      iso(from),
      iso(to),
    );
    const agg = sliAggregateSql(target, 6);
    await tx.$executeRawUnsafe(
      `WITH ins AS (
         INSERT INTO sli_hours (slo_id, region_id, hour, good, total)
         SELECT $1::uuid, region_id, minute, (${agg.good})::bigint, (${agg.total})::bigint
           FROM (SELECT endpoint_id, region_id, hour AS minute, status, count, latency
                   FROM request_rollups_hourly
                  WHERE service_id = $2::uuid AND hour >= $3::timestamptz AND hour < $4::timestamptz
                 UNION ALL
                 SELECT endpoint_id, region_id, date_trunc('hour', minute, 'UTC'), status, count, latency
                   FROM request_rollups
                  WHERE service_id = $2::uuid AND minute >= $3::timestamptz AND minute < $4::timestamptz
                ) AS request_rollups
          WHERE ($5::uuid IS NULL OR endpoint_id = $5::uuid) AND NOT ${excludedMaintenanceSql("$2::uuid")}
          GROUP BY region_id, minute
         HAVING (${agg.total}) > 0
         RETURNING region_id)
       INSERT INTO sli_changed (slo_id, region_id, h0, exact)
       SELECT DISTINCT $1::uuid, region_id, $3::timestamptz, true FROM ins`,
      target.sloId,
      target.serviceId,
      iso(from),
      iso(to),
      target.endpointId,
      ...agg.params,
    );
  });
}

export interface SliMinuteRow {
  sloId: string;
  regionId: string;
  minuteMs: number;
  good: number;
  total: number;
}

/**
 * Stores given per-minute counts (other minutes untouched), with running totals and regions, exactly as the
 * evaluator's recompute would. For seeding history (demo, tests, benchmarks) without raw requests.
 */
export async function storeSliMinutes(db: Db, rows: SliMinuteRow[]): Promise<void> {
  if (rows.length === 0) return;
  await writeSli(db, [...new Set(rows.map((r) => r.sloId))], async (tx, locked) => {
    const mine = rows.filter((r) => locked.has(r.sloId));
    await storeTargets(tx, locked);
    for (let i = 0; i < mine.length; i += 50_000) {
      const part = mine.slice(i, i + 50_000);
      await tx.$executeRawUnsafe(
        `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bigint[], $5::bigint[])`,
        part.map((r) => r.sloId),
        part.map((r) => r.regionId),
        part.map((r) => iso(Math.floor(r.minuteMs / MINUTE_MS) * MINUTE_MS)),
        part.map((r) => r.good),
        part.map((r) => r.total),
      );
    }
    await mergeFresh(tx);
  });
}

/**
 * storeSliMinutes for minutes generated in SQL: `select` yields (slo_id, region_id, minute, good, total) rows
 * for SLOs among `sloIds`, with `params` as its bind parameters. For large seeded histories.
 */
export async function storeSliMinutesFrom(
  db: Db,
  sloIds: string[],
  select: string,
  params: unknown[] = [],
): Promise<void> {
  await writeSli(db, sloIds, async (tx, locked) => {
    await storeTargets(tx, locked);
    await tx.$executeRawUnsafe(
      `INSERT INTO sli_fresh (slo_id, region_id, minute, good, total)
       SELECT g.* FROM (${select}) AS g(slo_id, region_id, minute, good, total)
        WHERE g.slo_id IN (SELECT slo_id FROM sli_targets)`,
      ...params,
    );
    await mergeFresh(tx);
  });
}

/** Targets of a store: every given minute is set, nothing else cleared. */
async function storeTargets(tx: Tx, ids: Set<string>): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO sli_targets (slo_id, from_ts, to_ts) SELECT s, 'epoch', 'epoch' FROM unnest($1::uuid[]) s`,
    [...ids],
  );
}

/**
 * Stores given hours at hour resolution (their counts stand for their first minute), replacing what those hours
 * held, with running totals and regions. For seeding long history (demo, tests) without raw requests.
 */
export async function storeSliHours(
  db: Db,
  rows: { sloId: string; regionId: string; hourMs: number; good: number; total: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  await writeSli(db, [...new Set(rows.map((r) => r.sloId))], async (tx, locked) => {
    const mine = rows.filter((r) => locked.has(r.sloId));
    for (let i = 0; i < mine.length; i += 50_000) {
      const part = mine.slice(i, i + 50_000);
      await tx.$executeRawUnsafe(
        `WITH ins AS (
           INSERT INTO sli_hours AS s (slo_id, region_id, hour, good, total)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bigint[], $5::bigint[])
           ON CONFLICT (slo_id, region_id, hour) DO UPDATE
              SET good = EXCLUDED.good, total = EXCLUDED.total, minute_good = NULL, minute_total = NULL
           RETURNING s.slo_id, s.region_id, s.hour)
         INSERT INTO sli_changed (slo_id, region_id, h0, exact) SELECT slo_id, region_id, min(hour), true FROM ins GROUP BY 1, 2`,
        part.map((r) => r.sloId),
        part.map((r) => r.regionId),
        part.map((r) => iso(Math.floor(r.hourMs / HOUR_MS) * HOUR_MS)),
        part.map((r) => r.good),
        part.map((r) => r.total),
      );
    }
  });
}

/** Statements deleting every SLI row of the given SLOs, for a caller's batch transaction. */
export function deleteSliStatements(db: Db, sloIds: string[]) {
  return [
    db.$executeRawUnsafe(`DELETE FROM sli_hours WHERE slo_id = ANY($1::uuid[])`, sloIds),
    db.$executeRawUnsafe(`DELETE FROM slo_regions WHERE slo_id = ANY($1::uuid[])`, sloIds),
  ];
}

export interface CumulativeQuery {
  sloId: string;
  regionId: string;
  atMs: number;
}

/**
 * The running totals of SLO × region pairs before given instants (counts of every minute that starts before
 * `atMs`, from an arbitrary origin per SLO × region): two index probes per query, whatever the history length.
 * Minutes of an hour folded to hour resolution all stand at its first minute. Results are in input order.
 */
export async function cumulativeCounts(
  db: Db,
  q: CumulativeQuery[],
): Promise<{ good: number; total: number }[]> {
  const out: { good: number; total: number }[] = [];
  for (let i = 0; i < q.length; i += CUMULATIVE_BATCH)
    out.push(...(await cumulativeBatch(db, q.slice(i, i + CUMULATIVE_BATCH))));
  return out;
}

/** Queries per statement (three array parameters each). */
const CUMULATIVE_BATCH = 20_000;

async function cumulativeBatch(db: Db, q: CumulativeQuery[]): Promise<{ good: number; total: number }[]> {
  if (q.length === 0) return [];
  // The hour that starts before `at` (one backward index probe); the part of it before `at` is added outside
  // the probe. Before the first hour of data, the first hour's running total (rare: a second probe).
  const rows = await db.$queryRawUnsafe<{ i: number; g: number; t: number }[]>(
    `SELECT q.i::int AS i,
            (CASE WHEN p.hour IS NULL
                  THEN coalesce((SELECT h.cum_good FROM sli_hours h
                                  WHERE h.slo_id = q.slo_id AND h.region_id = q.region_id AND h.hour >= q.at
                                  ORDER BY h.hour LIMIT 1), 0)
                  WHEN p.minute_good IS NULL OR q.at >= p.hour + interval '1 hour' THEN p.cum_good + p.good
                  ELSE p.cum_good + (SELECT coalesce(sum(v), 0) FROM unnest(p.minute_good[1:p.k]) v)
             END)::float8 AS g,
            (CASE WHEN p.hour IS NULL
                  THEN coalesce((SELECT h.cum_total FROM sli_hours h
                                  WHERE h.slo_id = q.slo_id AND h.region_id = q.region_id AND h.hour >= q.at
                                  ORDER BY h.hour LIMIT 1), 0)
                  WHEN p.minute_total IS NULL OR q.at >= p.hour + interval '1 hour' THEN p.cum_total + p.total
                  ELSE p.cum_total + (SELECT coalesce(sum(v), 0) FROM unnest(p.minute_total[1:p.k]) v)
             END)::float8 AS t
       FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) WITH ORDINALITY AS q(slo_id, region_id, at, i)
       LEFT JOIN LATERAL (
         SELECT h.hour, h.good, h.total, h.cum_good, h.cum_total, h.minute_good, h.minute_total,
                ceil(extract(epoch FROM q.at - h.hour) / 60)::int AS k
           FROM sli_hours h
          WHERE h.slo_id = q.slo_id AND h.region_id = q.region_id AND h.hour < q.at
          ORDER BY h.hour DESC LIMIT 1) p ON true`,
    q.map((x) => x.sloId),
    q.map((x) => x.regionId),
    q.map((x) => iso(x.atMs)),
  );
  const out = q.map(() => ({ good: 0, total: 0 }));
  for (const r of rows) out[Number(r.i) - 1] = { good: Number(r.g), total: Number(r.t) };
  return out;
}

/**
 * SampledSums (slo-core) of one SLO at `instants`: one region, or all regions added up (regionId null).
 */
export async function sampledSums(
  db: Db,
  sloId: string,
  regionId: string | null,
  instants: number[],
): Promise<{ at: Map<number, { good: number; total: number }> }> {
  const regions = regionId ? [regionId] : (await sloRegions(db, sloId)).map((r) => r.id);
  const q = regions.flatMap((r) => instants.map((atMs) => ({ sloId, regionId: r, atMs })));
  const counts = await cumulativeCounts(db, q);
  const at = new Map(instants.map((t) => [t, { good: 0, total: 0 }]));
  counts.forEach((c, i) => {
    const s = at.get(q[i]!.atMs)!;
    s.good += c.good;
    s.total += c.total;
  });
  return { at };
}

export interface SloRegionData {
  id: string;
  slug: string;
  firstMs: number;
  lastMs: number;
}

/** Regions where an SLO has data, with the first and last minute of data in each, by slug. */
export async function sloRegions(db: Db, sloId: string): Promise<SloRegionData[]> {
  return (await regionsOfSlos(db, [sloId])).get(sloId) ?? [];
}

/** sloRegions of many SLOs in one query. */
export async function regionsOfSlos(db: Db, sloIds: string[]): Promise<Map<string, SloRegionData[]>> {
  const out = new Map<string, SloRegionData[]>();
  if (sloIds.length === 0) return out;
  const rows = await db.$queryRawUnsafe<{ slo_id: string; id: string; slug: string; f: number; l: number }[]>(
    `SELECT s.slo_id::text, r.id::text, r.slug, (extract(epoch FROM s.first_at) * 1000)::float8 AS f,
            (extract(epoch FROM s.last_at) * 1000)::float8 AS l
       FROM slo_regions s JOIN regions r ON r.id = s.region_id
      WHERE s.slo_id = ANY($1::uuid[]) ORDER BY s.slo_id, r.slug`,
    sloIds,
  );
  for (const r of rows) {
    const list = out.get(r.slo_id) ?? [];
    list.push({ id: r.id, slug: r.slug, firstMs: Number(r.f), lastMs: Number(r.l) });
    out.set(r.slo_id, list);
  }
  return out;
}

/** The first minute with data of an SLO (one region or all), or null. */
export async function firstDataMs(db: Db, sloId: string, regionId: string | null): Promise<number | null> {
  const regions = (await sloRegions(db, sloId)).filter((r) => !regionId || r.id === regionId);
  return regions.length ? Math.min(...regions.map((r) => r.firstMs)) : null;
}

/**
 * Per-minute good/total of one SLO over [fromMs, toMs) (minute-aligned), one region or all (regionId null).
 * Hours kept at minute resolution give their minutes; a folded hour's counts stand at its first minute (sums
 * over windows that start on an hour are exact; a window that starts inside a folded hour counts the hour
 * when its first minute is inside the window).
 */
export async function loadSliSeries(
  db: Db,
  sloId: string,
  regionId: string | null,
  fromMs: number,
  toMs: number,
): Promise<DenseSeries> {
  const n = Math.max(0, Math.ceil((toMs - fromMs) / MINUTE_MS));
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  if (n === 0) return { startMs: fromMs, good, total };
  const rows = await db.$queryRawUnsafe<
    { t: number; g: number; n: number; mg: number[] | null; mt: number[] | null }[]
  >(
    `SELECT (extract(epoch FROM h.hour) * 1000)::float8 AS t, h.good::float8 AS g, h.total::float8 AS n,
            h.minute_good AS mg, h.minute_total AS mt
       FROM slo_regions r JOIN sli_hours h ON h.slo_id = r.slo_id AND h.region_id = r.region_id
      WHERE r.slo_id = $1::uuid AND ($2::uuid IS NULL OR r.region_id = $2::uuid)
        AND h.hour > $3::timestamptz - interval '1 hour' AND h.hour < $4::timestamptz`,
    sloId,
    regionId,
    iso(fromMs),
    iso(toMs),
  );
  for (const r of rows) {
    const base = Math.round((Number(r.t) - fromMs) / MINUTE_MS);
    if (r.mg && r.mt) {
      for (let m = 0; m < 60; m++) {
        const i = base + m;
        if (i < 0 || i >= n) continue;
        good[i] = good[i]! + (r.mg[m] ?? 0);
        total[i] = total[i]! + (r.mt[m] ?? 0);
      }
    } else if (base >= 0 && base < n) {
      good[base] = good[base]! + Number(r.g);
      total[base] = total[base]! + Number(r.n);
    }
  }
  return { startMs: fromMs, good, total };
}

// ---------------------------------------------------------------------------------------------------------------------
// Retention: minutes for MINUTE_RETENTION_MS, hours for HOUR_RETENTION_MS.

/** How far before the cutoff retention looks for hours still holding minutes (it runs every hour). */
const FOLD_SCAN_MS = 3 * 24 * HOUR_MS;

/**
 * Folds SLI hours older than the cutoff (hour-aligned, MINUTE_RETENTION_MS ago) to hour resolution (drops their
 * minutes; the running totals stay valid) and deletes hours older than HOUR_RETENTION_MS. Idempotent.
 */
export async function foldOldSliMinutes(
  db: Db,
  nowMs: number,
): Promise<{ cutoffMs: number; sliHoursFolded: number; hourlyRowsDropped: number }> {
  const cutoffMs = minuteDetailFromMs(nowMs);
  const [sliHoursFolded, hourlyRowsDropped] = await db.$transaction([
    // The hours that crossed the cutoff since the last runs (hourly; FOLD_SCAN_MS of slack for missed runs),
    // found by the BRIN index on hour.
    db.$executeRawUnsafe(
      `UPDATE sli_hours SET minute_good = NULL, minute_total = NULL
        WHERE hour >= $2::timestamptz AND hour < $1::timestamptz AND minute_total IS NOT NULL`,
      iso(cutoffMs),
      iso(cutoffMs - FOLD_SCAN_MS),
    ),
    db.$executeRawUnsafe(
      `DELETE FROM sli_hours WHERE hour < $1::timestamptz`,
      iso(nowMs - HOUR_RETENTION_MS),
    ),
  ]);
  if (hourlyRowsDropped > 0)
    await db.$executeRawUnsafe(
      `UPDATE slo_regions r SET first_at = f.t
         FROM (SELECT s.slo_id, s.region_id, (SELECT min(h.hour) FROM sli_hours h
                                              WHERE h.slo_id = s.slo_id AND h.region_id = s.region_id) AS t
                 FROM slo_regions s WHERE s.first_at < $1::timestamptz) f
        WHERE r.slo_id = f.slo_id AND r.region_id = f.region_id AND f.t IS NOT NULL`,
      iso(nowMs - HOUR_RETENTION_MS),
    );
  return { cutoffMs, sliHoursFolded, hourlyRowsDropped };
}
