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

/**
 * Per service × endpoint × region over [$1, $2) of the services the filter selects ($3 team, $4 service, $5
 * region slug; null: all): n requests, g good ones (not a failure status), h the latency buckets summed. The
 * filter applies before the sums, so a team's table reads only its own rollups.
 */
const ENDPOINT_STATS_SQL = `
  WITH r AS (
    SELECT service_id, endpoint_id, region_id, status, count, latency FROM request_rollups
     WHERE minute >= $1::timestamptz AND minute < $2::timestamptz
    UNION ALL
    SELECT service_id, endpoint_id, region_id, status, count, latency FROM request_rollups_hourly
     WHERE hour >= $1::timestamptz AND hour < $2::timestamptz
  ), f AS (
    SELECT r.*, s.slug AS service, t.slug AS team, s.failure_statuses, g.slug AS region
      FROM r JOIN services s ON s.id = r.service_id JOIN teams t ON t.id = s.team_id
      JOIN regions g ON g.id = r.region_id
     WHERE ($3::text IS NULL OR t.slug = $3) AND ($4::text IS NULL OR s.slug = $4)
       AND ($5::text IS NULL OR g.slug = $5)
  ), c AS (
    SELECT service, team, endpoint_id, region, sum(count)::float8 AS n,
           coalesce(sum(count) FILTER (WHERE NOT (status = ANY(failure_statuses))), 0)::float8 AS g
      FROM f GROUP BY 1, 2, 3, 4
  ), h AS (
    SELECT service, endpoint_id, region, i, sum(v)::float8 AS v
      FROM f CROSS JOIN LATERAL unnest(latency) WITH ORDINALITY AS u(v, i)
     GROUP BY 1, 2, 3, 4
  ), ha AS (
    SELECT service, endpoint_id, region, array_agg(v ORDER BY i) AS h FROM h GROUP BY 1, 2, 3
  )
  SELECT c.service, c.team, e.method, e.route, c.region, c.n, c.g, ha.h
    FROM c LEFT JOIN ha USING (service, endpoint_id, region) JOIN endpoints e ON e.id = c.endpoint_id
   WHERE c.n > 0`;

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
  const rows = await sqlRows<Row>(db, ENDPOINT_STATS_SQL, [
    iso(span.startMs),
    iso(span.endMs),
    filter.team ?? null,
    filter.service ?? null,
    filter.region && filter.region !== "all" ? filter.region : null,
  ]);
  return rows.map(toCounts);
}
