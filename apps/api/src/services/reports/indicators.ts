import {
  LATENCY_BOUNDS_MS,
  LATENCY_BUCKETS,
  IndicatorsResponse,
  type EndpointStatsRow,
  type ReportFilterQuery,
} from "@burnrate/contracts";
import { endpointStatsCounts, type Db, type EndpointStatsCounts } from "@burnrate/db";
import {
  DAY_MS,
  endpointTableSpan,
  periodAt,
  sli,
  windowPeriods,
  type IndicatorWindowKind,
} from "@burnrate/slo-core";
import { catalogCache, filterKey } from "./catalog-cache";
import { loadReportSlos, sloRef, windowLabel } from "./common";
import { catalogStamp } from "./overview";
import { depletionRows } from "./periods";

/** Rows in each endpoint table. */
const TOP_ENDPOINTS = 20;

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

const toStatsRow = (c: EndpointStatsCounts): EndpointStatsRow => {
  const h = c.latency.slice(0, LATENCY_BUCKETS);
  return {
    service: c.service,
    team: c.team,
    endpoint: `${c.method} ${c.route}`,
    region: c.region,
    total: c.total,
    good: c.good,
    availability: sli({ good: c.good, total: c.total }),
    p50Ms: histogramQuantile(h, 0.5),
    p95Ms: histogramQuantile(h, 0.95),
    p99Ms: histogramQuantile(h, 0.99),
  };
};

/** Ties in an endpoint table in a fixed order: service, endpoint, region. */
const byName = (a: EndpointStatsRow, b: EndpointStatsRow) =>
  a.service.localeCompare(b.service) ||
  a.endpoint.localeCompare(b.endpoint) ||
  a.region.localeCompare(b.region);

/** Per service × endpoint × region over the window's span: requests, good ones, latency percentiles. */
async function endpointStats(
  db: Db,
  filter: ReportFilterQuery,
  kind: IndicatorWindowKind,
  nowMs: number,
): Promise<EndpointStatsRow[]> {
  return (await endpointStatsCounts(db, filter, endpointTableSpan(kind, nowMs))).map(toStatsRow);
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
  const statsQuery = endpointStats(db, filter, kind, nowMs);
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
  const span = endpointTableSpan(kind, nowMs);
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
      .sort((a, b) => a.availability! - b.availability! || b.total - a.total || byName(a, b))
      .slice(0, TOP_ENDPOINTS),
    slowest: stats
      .filter((r) => r.p95Ms !== null || r.total > 0)
      .sort(
        (a, b) =>
          (b.p95Ms ?? Infinity) - (a.p95Ms ?? Infinity) || (b.p99Ms ?? 0) - (a.p99Ms ?? 0) || byName(a, b),
      )
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
