import type { OverviewResponse, OverviewRow, ReportFilterQuery, SloState } from "@burnrate/contracts";
import { loadSliSeries, type Db } from "@burnrate/db";
import {
  burnRate,
  computeStatus,
  minuteEnd,
  periodAt,
  periodLengthMs,
  remainingBudget,
  sli,
  statusRange,
  timeToExhaustionHours,
  type EventCounts,
} from "@burnrate/slo-core";
import { loadReportSlos, regionIds, sloRef, type ReportSlo } from "./common";

const HOUR_MS = 3600_000;
/** Below this share of budget left an SLO is shown as "low budget". */
export const LOW_BUDGET_FRACTION = 0.25;

interface Sums {
  period: EventCounts;
  h1: EventCounts;
  h6: EventCounts;
}

/**
 * Good/total per SLO × region over each SLO's current period and the last 1 h and 6 h, in one statement.
 * Same minutes as loadSliSeries + windowCounts: hours folded by retention count at their first minute, minutes
 * only after the last folded hour; a window [from, to) takes the minutes that start at or after `from`.
 */
async function bulkSums(
  db: Db,
  slos: ReportSlo[],
  nowMs: number,
  regionId: string | null,
): Promise<Map<string, Map<string, Sums>>> {
  const out = new Map<string, Map<string, Sums>>();
  const chunks: ReportSlo[][] = [];
  for (let i = 0; i < slos.length; i += BULK_CHUNK) chunks.push(slos.slice(i, i + BULK_CHUNK));
  // Chunks run concurrently on the pool: one statement scans its SLOs' minutes one SLO after the other.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(BULK_CONCURRENCY, chunks.length) }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        for (const r of await sumChunk(db, chunk, nowMs, regionId)) {
          const bySlo = out.get(r.slo_id) ?? new Map<string, Sums>();
          bySlo.set(r.region_id, {
            period: { good: Number(r.pg), total: Number(r.pt) },
            h1: { good: Number(r.g1), total: Number(r.t1) },
            h6: { good: Number(r.g6), total: Number(r.t6) },
          });
          out.set(r.slo_id, bySlo);
        }
      }
    }),
  );
  return out;
}

/** SLOs per statement, and statements at once (the API's pool has 8+ connections). */
const BULK_CHUNK = 50;
const BULK_CONCURRENCY = 6;

function sumChunk(db: Db, slos: ReportSlo[], nowMs: number, regionId: string | null) {
  const toMs = minuteEnd(nowMs);
  return db.$queryRawUnsafe<
    {
      slo_id: string;
      region_id: string;
      pg: number;
      pt: number;
      g1: number;
      t1: number;
      g6: number;
      t6: number;
    }[]
  >(
    `WITH b AS (
       SELECT t.slo_id, t.period_start, least(t.period_start, $4::timestamptz) AS scan_from,
              coalesce((SELECT max(h.hour) + interval '1 hour' FROM sli_hours h WHERE h.slo_id = t.slo_id),
                       '-infinity'::timestamptz) AS boundary
         FROM unnest($1::uuid[], $2::timestamptz[]) AS t(slo_id, period_start))
     SELECT b.slo_id, x.region_id, x.pg, x.pt, x.g1, x.t1, x.g6, x.t6
       FROM b CROSS JOIN LATERAL (
         SELECT m.region_id,
                coalesce(sum(m.good) FILTER (WHERE m.ts >= b.period_start), 0)::float8 AS pg,
                coalesce(sum(m.total) FILTER (WHERE m.ts >= b.period_start), 0)::float8 AS pt,
                coalesce(sum(m.good) FILTER (WHERE m.ts >= $5::timestamptz), 0)::float8 AS g1,
                coalesce(sum(m.total) FILTER (WHERE m.ts >= $5::timestamptz), 0)::float8 AS t1,
                coalesce(sum(m.good) FILTER (WHERE m.ts >= $4::timestamptz), 0)::float8 AS g6,
                coalesce(sum(m.total) FILTER (WHERE m.ts >= $4::timestamptz), 0)::float8 AS t6
           FROM (SELECT s.region_id, s.minute AS ts, s.good::bigint AS good, s.total::bigint AS total
                   FROM sli_minutes s
                  WHERE s.slo_id = b.slo_id AND s.minute >= greatest(b.scan_from, b.boundary)
                    AND s.minute < $3::timestamptz AND ($6::uuid IS NULL OR s.region_id = $6::uuid)
                 UNION ALL
                 SELECT h.region_id, h.hour, h.good, h.total
                   FROM sli_hours h
                  WHERE h.slo_id = b.slo_id AND h.hour >= b.scan_from AND h.hour < b.boundary
                    AND ($6::uuid IS NULL OR h.region_id = $6::uuid)) AS m
          GROUP BY m.region_id) AS x`,
    slos.map((s) => s.slo.id),
    slos.map((s) => new Date(periodAt(s.model.window, nowMs).startMs).toISOString()),
    new Date(toMs).toISOString(),
    new Date(toMs - 6 * HOUR_MS).toISOString(),
    new Date(toMs - HOUR_MS).toISOString(),
    regionId,
  );
}

export function stateOf(firing: boolean, total: number, remaining: number | null): SloState {
  if (firing) return "firing";
  if (total <= 0 || remaining === null) return "no-data";
  if (remaining <= 0) return "exhausted";
  if (remaining < LOW_BUDGET_FRACTION) return "low";
  return "healthy";
}

const SEVERITY_RANK = { page: 2, ticket: 1 } as const;

/**
 * Every SLO × region with its current numbers (the overview, team, region and service pages), firing first.
 * The per-SLO numbers are slo-core's: occurrences from summed counts, timeslices from computeStatus.
 */
export async function overviewReport(deps: {
  db: Db;
  filter: ReportFilterQuery;
  nowMs: number;
}): Promise<OverviewResponse> {
  const { db, filter, nowMs } = deps;
  const regions = await regionIds(db);
  const regionFilter = filter.region && filter.region !== "all" ? filter.region : null;
  const regionId = regionFilter
    ? ([...regions].find(([, slug]) => slug === regionFilter)?.[0] ?? null)
    : null;
  const [slos, teams, services] = await Promise.all([
    regionFilter && !regionId ? Promise.resolve([]) : loadReportSlos(db, filter, nowMs),
    db.team.findMany({ select: { slug: true }, orderBy: { slug: "asc" } }),
    db.service.findMany({
      select: { slug: true, team: { select: { slug: true } } },
      orderBy: { slug: "asc" },
    }),
  ]);
  const [sums, open] = await Promise.all([
    bulkSums(
      db,
      slos.filter((s) => s.model.method === "occurrences"),
      nowMs,
      regionId,
    ),
    db.alert.findMany({
      where: { state: { in: ["firing", "acknowledged"] }, sloId: { in: slos.map((s) => s.slo.id) } },
      select: { sloId: true, regionKey: true, severity: true },
    }),
  ]);
  const alertOf = new Map<string, "page" | "ticket">();
  for (const a of open) {
    const k = `${a.sloId}|${a.regionKey}`;
    const sev = a.severity === "page" ? "page" : "ticket";
    const prev = alertOf.get(k);
    if (!prev || SEVERITY_RANK[sev] > SEVERITY_RANK[prev]) alertOf.set(k, sev);
  }
  const rows: OverviewRow[] = [];
  for (const s of slos) {
    const periodMs = periodLengthMs(s.model.window, nowMs);
    let byRegion: [
      string,
      { counts: EventCounts; remaining: number; b1: number | null; b6: number | null },
    ][];
    if (s.model.method === "timeslices") {
      // Timeslice budgets need every minute's verdict: the status computation itself, per region.
      const rs = await db.$queryRawUnsafe<{ region_id: string }[]>(
        `SELECT DISTINCT region_id FROM sli_minutes WHERE slo_id = $1::uuid
          UNION SELECT DISTINCT region_id FROM sli_hours WHERE slo_id = $1::uuid`,
        s.slo.id,
      );
      byRegion = [];
      for (const { region_id } of rs) {
        if (regionId && region_id !== regionId) continue;
        const range = statusRange(s.model, nowMs);
        const st = computeStatus(
          s.model,
          await loadSliSeries(db, s.slo.id, region_id, range.fromMs, range.toMs),
          nowMs,
        );
        if (st.counts.total > 0)
          byRegion.push([
            region_id,
            { counts: st.counts, remaining: st.remaining, b1: st.burnRates["1h"], b6: st.burnRates["6h"] },
          ]);
      }
    } else {
      byRegion = [...(sums.get(s.slo.id) ?? new Map<string, Sums>())]
        .filter(([, v]) => v.period.total > 0)
        .map(([rid, v]) => [
          rid,
          {
            counts: v.period,
            remaining: remainingBudget(v.period, s.model.objective),
            b1: burnRate(v.h1, s.model.objective),
            b6: burnRate(v.h6, s.model.objective),
          },
        ]);
    }
    const base = { ...sloRef(s.slo), sentence: s.slo.sentence };
    if (byRegion.length === 0) {
      if (regionFilter) continue;
      const sev = alertOf.get(`${s.slo.id}|*`) ?? null;
      rows.push({
        ...base,
        region: null,
        good: 0,
        total: 0,
        sliRatio: null,
        remainingFraction: null,
        burnRate1h: null,
        burnRate6h: null,
        timeToExhaustionHours: null,
        firing: sev !== null,
        alertSeverity: sev,
        state: stateOf(sev !== null, 0, null),
      });
      continue;
    }
    for (const [rid, v] of byRegion.sort((a, b) =>
      (regions.get(a[0]) ?? "").localeCompare(regions.get(b[0]) ?? ""),
    )) {
      const slug = regions.get(rid) ?? rid;
      const sev = alertOf.get(`${s.slo.id}|${slug}`) ?? alertOf.get(`${s.slo.id}|*`) ?? null;
      rows.push({
        ...base,
        region: slug,
        good: v.counts.good,
        total: v.counts.total,
        sliRatio: sli(v.counts),
        remainingFraction: v.remaining,
        burnRate1h: v.b1,
        burnRate6h: v.b6,
        timeToExhaustionHours: timeToExhaustionHours(v.remaining, periodMs, v.b1),
        firing: sev !== null,
        alertSeverity: sev,
        state: stateOf(sev !== null, v.counts.total, v.remaining),
      });
    }
  }
  // Firing first (pages before tickets), then the least budget left.
  rows.sort(
    (a, b) =>
      (b.alertSeverity ? SEVERITY_RANK[b.alertSeverity] : 0) -
        (a.alertSeverity ? SEVERITY_RANK[a.alertSeverity] : 0) ||
      (a.remainingFraction ?? 2) - (b.remainingFraction ?? 2) ||
      a.name.localeCompare(b.name),
  );
  return {
    generatedAt: new Date(nowMs).toISOString(),
    rows,
    teams: teams.map((t) => t.slug),
    services: services.map((s) => ({ slug: s.slug, team: s.team.slug })),
    regions: [...regions.values()].sort(),
  };
}

/** An overview answer is served from memory this long after it was computed… */
export const OVERVIEW_FRESH_MS = 15_000;
/** …and, until this age, served while a fresh one is computed in the background (stale-while-revalidate). */
export const OVERVIEW_STALE_MS = 120_000;

interface CacheEntry {
  computedAt: number;
  value: Promise<OverviewResponse>;
  refreshing: boolean;
}
const caches = new WeakMap<Db, Map<string, CacheEntry>>();

/**
 * The overview through a short per-filter cache: with 1,000 SLO × region the sums take a few hundred ms of
 * database time, the numbers move once per evaluation minute, and every open dashboard polls. An answer is at
 * most OVERVIEW_FRESH_MS old when served fresh, and a stale one (up to OVERVIEW_STALE_MS) is served while the
 * next is computed; `generatedAt` says when it was computed. Concurrent misses share one computation.
 */
export async function cachedOverviewReport(deps: {
  db: Db;
  filter: ReportFilterQuery;
  now: () => number;
  wallClock?: () => number;
}): Promise<OverviewResponse> {
  const clock = deps.wallClock ?? Date.now;
  let cache = caches.get(deps.db);
  if (!cache) caches.set(deps.db, (cache = new Map()));
  const key = JSON.stringify(deps.filter, Object.keys(deps.filter).sort());
  const compute = (): CacheEntry => {
    const entry: CacheEntry = {
      computedAt: clock(),
      value: overviewReport({ db: deps.db, filter: deps.filter, nowMs: deps.now() }),
      refreshing: false,
    };
    entry.value.catch(() => cache.delete(key));
    return entry;
  };
  const hit = cache.get(key);
  const age = hit ? clock() - hit.computedAt : Infinity;
  if (hit && age <= OVERVIEW_FRESH_MS) return hit.value;
  if (hit && age <= OVERVIEW_STALE_MS) {
    if (!hit.refreshing) {
      hit.refreshing = true;
      const next = compute();
      next.value.then(
        () => cache.set(key, next),
        () => (hit.refreshing = false),
      );
    }
    return hit.value;
  }
  if (cache.size > 200) cache.clear();
  const entry = compute();
  cache.set(key, entry);
  return entry.value;
}
