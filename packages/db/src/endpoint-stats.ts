import { sqlRows, type Db } from "./client";
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
