import {
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  IndicatorsResponse,
  type EndpointStatsRow,
  type ReportFilterQuery,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import {
  DAY_MS,
  periodAt,
  sli,
  windowPeriods,
  type IndicatorWindowKind,
  type TimeSpan,
} from "@burnrate/slo-core";
import { catalogCache, filterKey } from "./catalog-cache";
import { loadReportSlos, sloRef, windowLabel } from "./common";
import { catalogStamp } from "./overview";
import { depletionRows } from "./periods";

const YEAR_MS = 365 * DAY_MS;
/** Rows in each endpoint table. */
const TOP_ENDPOINTS = 20;

/** The span an endpoint table covers: the same window, using a 28-day period for current/previous. */
function endpointSpan(kind: IndicatorWindowKind, nowMs: number): TimeSpan {
  if (kind === "year") return { startMs: nowMs - YEAR_MS, endMs: nowMs };
  const p = periodAt({ type: "rolling", days: 28 }, nowMs);
  return kind === "current" ? p : { startMs: p.startMs - 28 * DAY_MS, endMs: p.startMs };
}

/** Upper bound (ms) of the histogram bucket that holds quantile q; null without data or past the last bound. */
export function histogramQuantile(buckets: number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= rank) return LATENCY_BOUNDS_MS[i] ?? null;
  }
  return null;
}

/** Per service × endpoint × region over a span: requests, good ones (not a failure status), the latency histogram. */
async function endpointStats(db: Db, filter: ReportFilterQuery, span: TimeSpan): Promise<EndpointStatsRow[]> {
  const rows = await db.$queryRawUnsafe<
    {
      service: string;
      team: string;
      method: string;
      route: string;
      region: string;
      n: number;
      g: number;
      h: number[];
    }[]
  >(
    `WITH r AS (
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
       FROM c JOIN ha USING (service, endpoint_id, region) JOIN endpoints e ON e.id = c.endpoint_id
      WHERE c.n > 0`,
    new Date(span.startMs).toISOString(),
    new Date(span.endMs).toISOString(),
    filter.team ?? null,
    filter.service ?? null,
    filter.region && filter.region !== "all" ? filter.region : null,
  );
  return rows.map((r) => {
    const h = (r.h ?? []).map(Number).slice(0, LATENCY_BUCKETS);
    const counts = { good: Number(r.g), total: Number(r.n) };
    return {
      service: r.service,
      team: r.team,
      endpoint: `${r.method} ${r.route}`,
      region: r.region,
      total: counts.total,
      good: counts.good,
      availability: sli(counts),
      p50Ms: histogramQuantile(h, 0.5),
      p95Ms: histogramQuantile(h, 0.95),
      p99Ms: histogramQuantile(h, 0.99),
    };
  });
}

/** Manager indicators (book ch. 11): SLOs by service, adherence and depletion, premature exhaustion, endpoints. */
export async function indicatorsReport(deps: {
  db: Db;
  filter: ReportFilterQuery & { window: IndicatorWindowKind };
  nowMs: number;
  /** read the worker's period snapshots where they can stand for now (the default), or analyse every period here */
  snapshots?: boolean;
}): Promise<IndicatorsResponse> {
  const { db, filter, nowMs } = deps;
  const kind = filter.window;
  // the endpoint tables need no SLO: their query runs while the SLOs load and their periods are read
  const statsQuery = endpointStats(db, filter, endpointSpan(kind, nowMs));
  statsQuery.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  const slos = await loadReportSlos(db, filter, nowMs);
  const [depletion, stats] = await Promise.all([
    depletionRows({
      db,
      filter,
      nowMs,
      slos,
      periodsOf: (m, atMs) => windowPeriods(m, kind, atMs),
      snapshots: deps.snapshots ?? true,
    }),
    statsQuery,
  ]);
  const spans = slos.flatMap((s) => windowPeriods(s.model, kind, nowMs));
  const span = endpointSpan(kind, nowMs);
  return {
    window: {
      kind,
      from: spans.length ? Math.min(...spans.map((p) => p.startMs)) : span.startMs,
      to: spans.length ? Math.min(nowMs, Math.max(...spans.map((p) => p.endMs))) : span.endMs,
    },
    slosByService: slos.map((s) => {
      const p = periodAt(s.model.window, nowMs);
      return {
        ...sloRef(s.slo),
        windowLabel: windowLabel(s.slo.window),
        periodDays: (p.endMs - p.startMs) / DAY_MS,
        daysLeft: s.model.window.type === "rolling" ? null : Math.max(0, (p.endMs - nowMs) / DAY_MS),
      };
    }),
    depletion,
    leastAvailable: stats
      .filter((r) => r.availability !== null)
      .sort((a, b) => a.availability! - b.availability! || b.total - a.total)
      .slice(0, TOP_ENDPOINTS),
    slowest: stats
      .filter((r) => r.p95Ms !== null || r.total > 0)
      .sort((a, b) => (b.p95Ms ?? Infinity) - (a.p95Ms ?? Infinity) || (b.p99Ms ?? 0) - (a.p99Ms ?? 0))
      .slice(0, TOP_ENDPOINTS),
  };
}

/** An indicators answer is served from memory this long after it was computed… */
export const INDICATORS_FRESH_MS = 60_000;
/** …and, until this age, served while a fresh one is computed in the background (stale-while-revalidate). */
export const INDICATORS_STALE_MS = 15 * 60_000;
const indicatorsCache = catalogCache<Buffer>({ freshMs: INDICATORS_FRESH_MS, staleMs: INDICATORS_STALE_MS });

/**
 * The indicators through a per-filter cache. They judge every period of every SLO × region from its minutes
 * (with 1,000 SLO × region, 28 days each: seconds of work), and move slowly: a period's budget changes by
 * minutes of traffic. An answer is served while at most INDICATORS_FRESH_MS old, counted from when it was
 * ready (on a busy machine a computation can take longer than that, and would otherwise be stale at birth); an
 * older one (up to INDICATORS_STALE_MS) is served while the next is computed in the background, so a manager
 * opening the page does not wait for the computation. An SLO created, edited or deleted makes every cached answer unservable.
 * Concurrent misses share one computation. The answer is kept serialized (checked against the response schema
 * once, when computed): with 1,000 SLO × region it is about 1 MB, whose check and serialization per request
 * would take longer than the rest of the request.
 */
export async function cachedIndicatorsJson(deps: {
  db: Db;
  filter: ReportFilterQuery & { window: IndicatorWindowKind };
  now: () => number;
  wallClock?: () => number;
}): Promise<Buffer> {
  return indicatorsCache(deps.db, {
    key: filterKey(deps.filter),
    catalog: await catalogStamp(deps.db),
    clock: deps.wallClock ?? Date.now,
    compute: () =>
      indicatorsReport({ db: deps.db, filter: deps.filter, nowMs: deps.now() }).then((r) =>
        Buffer.from(JSON.stringify(IndicatorsResponse.parse(r))),
      ),
  });
}
