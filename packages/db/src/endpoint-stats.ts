import { sqlRows, sqlTransaction, type Db } from "./client";
import { iso } from "./sli-store/sql-helpers";

/** Which endpoints an endpoint table covers: a team, a service and a region slug (null or absent: all). */
export interface EndpointStatsFilter {
  team?: string | null;
  service?: string | null;
  region?: string | null;
}

/** One service × endpoint × region over a span: requests, good ones (not a failure status), the latency histogram. */
export interface EndpointStatsCounts {
  service: string;
  team: string;
  method: string;
  route: string;
  region: string;
  total: number;
  good: number;
  /** requests per latency bucket (the rollups' buckets) */
  latency: number[];
}

interface Row extends Record<string, unknown> {
  service: string;
  team: string;
  method: string;
  route: string;
  region: string;
  n: number;
  g: number;
  h: number[] | null;
}

/** Per service_id × endpoint_id × region_id over [$1, $2): n, g, h (the latency buckets summed). */
const AGGREGATE = `
  WITH r AS (
    SELECT service_id, endpoint_id, region_id, status, count, latency FROM request_rollups
     WHERE minute >= $1::timestamptz AND minute < $2::timestamptz
    UNION ALL
    SELECT service_id, endpoint_id, region_id, status, count, latency FROM request_rollups_hourly
     WHERE hour >= $1::timestamptz AND hour < $2::timestamptz
  ), f AS (
    SELECT r.*, s.failure_statuses FROM r JOIN services s ON s.id = r.service_id
  ), c AS (
    SELECT service_id, endpoint_id, region_id, sum(count)::float8 AS n,
           coalesce(sum(count) FILTER (WHERE NOT (status = ANY(failure_statuses))), 0)::float8 AS g
      FROM f GROUP BY 1, 2, 3
  ), h AS (
    SELECT service_id, endpoint_id, region_id, i, sum(v)::float8 AS v
      FROM f CROSS JOIN LATERAL unnest(latency) WITH ORDINALITY AS u(v, i)
     GROUP BY 1, 2, 3, 4
  ), ha AS (
    SELECT service_id, endpoint_id, region_id, array_agg(v ORDER BY i) AS h FROM h GROUP BY 1, 2, 3
  )
  SELECT c.service_id, c.endpoint_id, c.region_id, c.n, c.g, ha.h
    FROM c LEFT JOIN ha USING (service_id, endpoint_id, region_id)
   WHERE c.n > 0`;

/** Names the rows of `source` (service_id, endpoint_id, region_id, n, g, h) and keeps those the filter selects. */
const named = (source: string, firstParam: number) => `
  SELECT s.slug AS service, t.slug AS team, e.method, e.route, g.slug AS region, x.n, x.g, x.h
    FROM (${source}) x
    JOIN services s ON s.id = x.service_id JOIN teams t ON t.id = s.team_id
    JOIN endpoints e ON e.id = x.endpoint_id JOIN regions g ON g.id = x.region_id
   WHERE ($${firstParam}::text IS NULL OR t.slug = $${firstParam})
     AND ($${firstParam + 1}::text IS NULL OR s.slug = $${firstParam + 1})
     AND ($${firstParam + 2}::text IS NULL OR g.slug = $${firstParam + 2})`;

const filterParams = (f: EndpointStatsFilter) => [
  f.team ?? null,
  f.service ?? null,
  f.region && f.region !== "all" ? f.region : null,
];

const toCounts = (r: Row): EndpointStatsCounts => ({
  service: r.service,
  team: r.team,
  method: r.method,
  route: r.route,
  region: r.region,
  total: Number(r.n),
  good: Number(r.g),
  latency: (r.h ?? []).map(Number),
});

/** The endpoint table's counts over a span, read from the rollups (minutes and hours). */
export async function endpointStatsCounts(
  db: Db,
  filter: EndpointStatsFilter,
  span: { startMs: number; endMs: number },
): Promise<EndpointStatsCounts[]> {
  const rows = await sqlRows<Row>(db, named(AGGREGATE, 3), [
    iso(span.startMs),
    iso(span.endMs),
    ...filterParams(filter),
  ]);
  return rows.map(toCounts);
}

/**
 * Writes the snapshot of every endpoint's counts over `span` under a window kind, replacing the last one whole,
 * in one transaction (a reader sees the old snapshot or the new one). Two writers of one kind take turns.
 */
export async function writeEndpointStatsSnapshot(
  db: Db,
  s: { windowKind: string; computedAtMs: number; span: { startMs: number; endMs: number } },
): Promise<number> {
  return sqlTransaction(db, async (q) => {
    await q(`SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))::text AS l`, [
      `endpoint-stats-snapshot:${s.windowKind}`,
    ]);
    await q(`DELETE FROM endpoint_stats_snapshots WHERE window_kind = $1`, [s.windowKind]);
    const inserted = await q<{ n: number }>(
      `WITH w AS (
         INSERT INTO endpoint_stats_snapshots (window_kind, service_id, endpoint_id, region_id, total, good, latency)
         SELECT $3, a.service_id, a.endpoint_id, a.region_id, a.n, a.g, a.h FROM (${AGGREGATE}) a
         RETURNING 1
       ) SELECT count(*)::int AS n FROM w`,
      [iso(s.span.startMs), iso(s.span.endMs), s.windowKind],
    );
    await q(
      `INSERT INTO endpoint_stats_snapshot_runs (window_kind, computed_at, span_start, span_end)
       VALUES ($1, $2::timestamptz, $3::timestamptz, $4::timestamptz)
       ON CONFLICT (window_kind) DO UPDATE
         SET computed_at = excluded.computed_at, span_start = excluded.span_start, span_end = excluded.span_end`,
      [s.windowKind, iso(s.computedAtMs), iso(s.span.startMs), iso(s.span.endMs)],
    );
    return Number(inserted[0]?.n ?? 0);
  });
}

/**
 * The last snapshot of a window kind, filtered, with the instant and span it was made for; null when there is
 * none, or it was made more than `freshMs` before `nowMs` (or after it).
 */
export async function readEndpointStatsSnapshot(
  db: Db,
  windowKind: string,
  filter: EndpointStatsFilter,
  opts: { nowMs: number; freshMs: number },
): Promise<{
  computedAtMs: number;
  span: { startMs: number; endMs: number };
  rows: EndpointStatsCounts[];
} | null> {
  return sqlTransaction(db, async (q) => {
    // one transaction: the run and its rows are of the same snapshot even while a new one is written
    await q(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`);
    const [run] = await q<{ t: number; a: number; b: number }>(
      `SELECT (extract(epoch FROM computed_at) * 1000)::float8 AS t,
              (extract(epoch FROM span_start) * 1000)::float8 AS a,
              (extract(epoch FROM span_end) * 1000)::float8 AS b
         FROM endpoint_stats_snapshot_runs WHERE window_kind = $1`,
      [windowKind],
    );
    if (!run) return null;
    const atMs = Number(run.t);
    if (atMs > opts.nowMs || opts.nowMs - atMs > opts.freshMs) return null;
    const rows = await q<Row>(
      named(
        `SELECT service_id, endpoint_id, region_id, total AS n, good AS g, latency AS h
           FROM endpoint_stats_snapshots WHERE window_kind = $1`,
        2,
      ),
      [windowKind, ...filterParams(filter)],
    );
    return {
      computedAtMs: atMs,
      span: { startMs: Number(run.a), endMs: Number(run.b) },
      rows: rows.map(toCounts),
    };
  });
}
