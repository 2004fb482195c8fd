import type { OverviewResponse, OverviewRow, ReportFilterQuery, SloState } from "@burnrate/contracts";
import { cumulativeCounts, loadSliSeries, regionsOfSlos, sloRegions, type Db } from "@burnrate/db";
import {
  HOUR_MS,
  burnRate,
  computeStatus,
  minuteEnd,
  periodAt,
  periodLengthMs,
  remainingBudget,
  sli,
  statusRange,
  timeToExhaustionHours,
  exhaustionOutlook,
  budgetExhausted,
  projectionHorizonMs,
  type EventCounts,
} from "@burnrate/slo-core";
import { catalogCache, filterKey } from "./catalog-cache";
import { loadReportSlos, regionIds, sloRef, type ReportSlo } from "./common";

/** Below this share of budget left an SLO is shown as "low budget". */
export const LOW_BUDGET_FRACTION = 0.25;

interface Sums {
  period: EventCounts;
  h1: EventCounts;
  h6: EventCounts;
}

/**
 * Good/total per SLO × region over each SLO's current period and the last 1 h and 6 h: four running totals per
 * SLO × region (sli-store cumulativeCounts), so the cost does not grow with the period or the traffic.
 */
async function bulkSums(
  db: Db,
  slos: ReportSlo[],
  nowMs: number,
  regionId: string | null,
): Promise<Map<string, Map<string, Sums>>> {
  const out = new Map<string, Map<string, Sums>>();
  const toMs = minuteEnd(nowMs);
  const regionsBy = await regionsOfSlos(
    db,
    slos.map((s) => s.slo.id),
  );
  const pairs: { sloId: string; regionId: string; at: number[] }[] = [];
  for (const s of slos) {
    const periodStart = periodAt(s.model.window, nowMs).startMs;
    for (const r of regionsBy.get(s.slo.id) ?? [])
      if ((!regionId || r.id === regionId) && r.lastMs >= periodStart)
        pairs.push({
          sloId: s.slo.id,
          regionId: r.id,
          at: [periodStart, toMs - 6 * HOUR_MS, toMs - HOUR_MS, toMs],
        });
  }
  const q = pairs.flatMap((p) => p.at.map((atMs) => ({ sloId: p.sloId, regionId: p.regionId, atMs })));
  const c = await cumulativeCounts(db, q);
  const diff = (a: EventCounts, b: EventCounts): EventCounts => ({
    good: b.good - a.good,
    total: b.total - a.total,
  });
  pairs.forEach((p, i) => {
    const [period, h6, h1, now] = [c[4 * i]!, c[4 * i + 1]!, c[4 * i + 2]!, c[4 * i + 3]!];
    const bySlo = out.get(p.sloId) ?? new Map<string, Sums>();
    bySlo.set(p.regionId, { period: diff(period, now), h1: diff(h1, now), h6: diff(h6, now) });
    out.set(p.sloId, bySlo);
  });
  return out;
}

export function stateOf(firing: boolean, total: number, remaining: number | null): SloState {
  if (firing) return "firing";
  if (total <= 0 || remaining === null) return "no-data";
  if (budgetExhausted(remaining)) return "exhausted";
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
      const rs = await sloRegions(db, s.slo.id);
      byRegion = [];
      for (const { id: region_id } of rs) {
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
        exhaustion: null,
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
      const tte = timeToExhaustionHours(v.remaining, periodMs, v.b1);
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
        timeToExhaustionHours: tte,
        exhaustion: exhaustionOutlook(tte, projectionHorizonMs(s.model.window, nowMs)),
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
const overviewCache = catalogCache<OverviewResponse>({
  freshMs: OVERVIEW_FRESH_MS,
  staleMs: OVERVIEW_STALE_MS,
});

/**
 * A stamp of the SLO catalog: it changes when an SLO is created, edited or deleted, by this API or another
 * replica, so a cached overview never hides a new SLO (one indexed aggregate over the SLOs, ~1 ms at 10,000).
 */
export async function catalogStamp(db: Db): Promise<string> {
  const [r] = await db.$queryRaw<{ stamp: string }[]>`
    SELECT count(*)::text || '|' || coalesce(max(updated_at)::text, '') AS stamp FROM slos`;
  return r?.stamp ?? "";
}

/**
 * The overview through a short per-filter cache: with 1,000 SLO × region the sums take a few hundred ms of
 * database time, the numbers move once per evaluation minute, and every open dashboard polls. An answer is at
 * most OVERVIEW_FRESH_MS old when served fresh, and a stale one (up to OVERVIEW_STALE_MS) is served while the
 * next is computed (catalog-cache.ts); `generatedAt` says when it was computed.
 */
export async function cachedOverviewReport(deps: {
  db: Db;
  filter: ReportFilterQuery;
  now: () => number;
  wallClock?: () => number;
}): Promise<OverviewResponse> {
  return overviewCache(deps.db, {
    key: filterKey(deps.filter),
    catalog: await catalogStamp(deps.db),
    clock: deps.wallClock ?? Date.now,
    compute: () => overviewReport({ db: deps.db, filter: deps.filter, nowMs: deps.now() }),
  });
}
