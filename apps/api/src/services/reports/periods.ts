import type { DepletionRow, PeriodCell, PeriodsResponse, ReportFilterQuery } from "@burnrate/contracts";
import {
  firstDataMs as firstStoredMs,
  loadSliSeries,
  regionsOfSlos,
  snapshotAnalyses,
  snapshotHeaders,
  snapshotKey,
  type Db,
  type DenseSeries,
  type SnapshotAnalysis,
  type SnapshotHeader,
} from "@burnrate/db";
import {
  MINUTE_MS,
  analysePeriod,
  periodAt,
  previousPeriods,
  type PeriodAnalysis,
  type SloModel,
  type TimeSpan,
} from "@burnrate/slo-core";
import { loadReportSlos, regionIds, sloRef, windowLabel, type ReportSlo } from "./common";

// The analysis of one period is slo-core's (the worker's period snapshots judge periods with the same function).
export { analysePeriod, type PeriodAnalysis };

/** The current period and the `n − 1` before it, oldest first. */
export function lastPeriods(model: SloModel, nowMs: number, n: number): TimeSpan[] {
  return [periodAt(model.window, nowMs), ...previousPeriods(model.window, nowMs, n - 1)].reverse();
}

/** Loads one SLO × region (null = all regions) from the start of the first period to now. */
export async function loadPeriodsSeries(
  db: Db,
  sloId: string,
  regionId: string | null,
  periods: TimeSpan[],
  nowMs: number,
): Promise<DenseSeries> {
  const from = Math.floor(Math.min(...periods.map((p) => p.startMs)) / MINUTE_MS) * MINUTE_MS;
  const to = Math.ceil(Math.min(nowMs, Math.max(...periods.map((p) => p.endMs))) / MINUTE_MS) * MINUTE_MS;
  return loadSliSeries(db, sloId, regionId, from, Math.max(from + MINUTE_MS, to));
}

const toCell = (a: SnapshotAnalysis): PeriodCell => ({
  start: a.period.startMs,
  end: a.period.endMs,
  complete: a.complete,
  remainingAtEnd: a.remainingAtEnd,
  adherence: a.adherence,
  exhausted: a.exhausted,
  exhaustedAt: a.exhaustedAt,
  timeToExhaustionHours: a.timeToExhaustionHours,
  dates: a.dates,
  exhaustedOn: a.exhaustedOn,
  exhaustedDay: a.exhaustedDay,
  historyDays: a.historyDays,
});

/** Product-owner grid: SLOs × their last N periods (all regions together, or the region asked for). */
export async function periodsReport(deps: {
  db: Db;
  filter: ReportFilterQuery & { periods: number };
  nowMs: number;
}): Promise<PeriodsResponse> {
  const { db, filter, nowMs } = deps;
  const regions = await regionIds(db);
  const regionFilter = filter.region && filter.region !== "all" ? filter.region : null;
  const regionId = regionFilter ? ([...regions].find(([, s]) => s === regionFilter)?.[0] ?? null) : null;
  if (regionFilter && !regionId) return { periods: filter.periods, rows: [] };
  const slos = await loadReportSlos(db, filter, nowMs);
  const rows: PeriodsResponse["rows"] = [];
  for (const s of slos) {
    const periods = lastPeriods(s.model, nowMs, filter.periods);
    const series = await loadPeriodsSeries(db, s.slo.id, regionId, periods, nowMs);
    const first = await firstStoredMs(db, s.slo.id, regionId);
    rows.push({
      ...sloRef(s.slo),
      region: regionFilter,
      windowLabel: windowLabel(s.slo.window),
      cells: periods.map((p) => toCell(analysePeriod(s.model, series, p, nowMs, { firstDataMs: first }))),
    });
  }
  return { periods: filter.periods, rows };
}

/** SLOs whose series are read and judged at once by depletionRows (overlaps the database's answers with the math). */
const DEPLETION_CONCURRENCY = 4;

/**
 * A worker-written period snapshot is served while at most this old (the worker writes one every 5 minutes,
 * SNAPSHOT_EVERY_MS); an older one, as a missing one, is computed instead.
 */
export const SNAPSHOT_FRESH_MS = 15 * MINUTE_MS;

/** The depletion row of one analysed period of one SLO × region. */
const depletionRow = (s: ReportSlo, region: string, a: SnapshotAnalysis): DepletionRow => {
  const { start, end, ...cell } = toCell(a);
  return {
    ...sloRef(s.slo),
    region,
    period: { start, end },
    ...cell,
    averageSpeedPercentPerHour: a.averageSpeed,
    maxSpeedPercentPerHour: a.maxSpeed,
    episodes: a.episodes,
  };
};

/**
 * The instant a stored snapshot of one SLO × region can stand for now, and the periods to read from it, or null
 * when it cannot: made for the SLO's current version, from the same first data, at most SNAPSHOT_FRESH_MS ago,
 * in the period that runs now (a calendar period that ended since is judged anew). A period it does not hold
 * is found missing when read, and the SLO × region analysed here.
 */
function servableAt(
  s: ReportSlo,
  head: SnapshotHeader | undefined,
  firstMs: number | null,
  nowMs: number,
  periodsOf: (model: SloModel, atMs: number) => TimeSpan[],
): { atMs: number; periods: TimeSpan[] } | null {
  if (!head || head.version !== s.slo.version || head.firstMs !== firstMs) return null;
  const atMs = head.computedAtMs;
  if (atMs > nowMs || nowMs - atMs > SNAPSHOT_FRESH_MS) return null;
  const w = s.model.window;
  if (w.type !== "rolling" && periodAt(w, atMs).startMs !== periodAt(w, nowMs).startMs) return null;
  return { atMs, periods: periodsOf(s.model, atMs) };
}

/**
 * Depletion rows (book §11.2.4) for each SLO × region with data × period, in SLO order then region slug. With
 * `snapshots`, an SLO × region whose worker-written period snapshot can stand for now (servableAt) is read from
 * it, as it was analysed when written (the same slo-core analysis); the others are read and analysed here.
 */
export async function depletionRows(deps: {
  db: Db;
  filter: ReportFilterQuery;
  /** the periods to report for an SLO as of an instant (now, or when its snapshot was made) */
  periodsOf: (model: SloModel, atMs: number) => TimeSpan[];
  nowMs: number;
  /** the report's SLOs when the caller has loaded them already */
  slos?: ReportSlo[];
  snapshots?: boolean;
}): Promise<DepletionRow[]> {
  const { db, filter, nowMs } = deps;
  const regionFilter = filter.region && filter.region !== "all" ? filter.region : null;
  const slos = deps.slos ?? (await loadReportSlos(db, filter, nowMs));
  const sloIds = slos.map((s) => s.slo.id);
  const [regions, regionsOf, heads] = await Promise.all([
    regionIds(db),
    regionsOfSlos(db, sloIds),
    deps.snapshots
      ? snapshotHeaders(db, sloIds, { periods: false })
      : new Map<string, Map<string, SnapshotHeader>>(),
  ]);
  interface Item {
    s: ReportSlo;
    rid: string;
    first: number | null;
    periods: TimeSpan[];
    stored: boolean;
    out: DepletionRow[];
  }
  const items: Item[] = [];
  for (const s of slos) {
    const periods = deps.periodsOf(s.model, nowMs);
    if (periods.length === 0) continue;
    const from = Math.min(...periods.map((p) => p.startMs));
    const withData = (regionsOf.get(s.slo.id) ?? []).filter((r) => r.lastMs >= from);
    const rids = withData
      .map((r) => r.id)
      .filter((rid) => !regionFilter || regions.get(rid) === regionFilter)
      .sort((a, b) => (regions.get(a) ?? "").localeCompare(regions.get(b) ?? ""));
    for (const rid of rids) {
      const first = withData.find((r) => r.id === rid)?.firstMs ?? null;
      const snap = servableAt(s, heads.get(s.slo.id)?.get(rid), first, nowMs, deps.periodsOf);
      items.push({ s, rid, first, periods: snap?.periods ?? periods, stored: snap !== null, out: [] });
    }
  }
  const stored = items.filter((it) => it.stored);
  const analyses = await snapshotAnalyses(
    db,
    stored.flatMap((it) =>
      it.periods.map((p) => ({
        sloId: it.s.slo.id,
        version: it.s.slo.version,
        regionId: it.rid,
        startMs: p.startMs,
        endMs: p.endMs,
      })),
    ),
  );
  for (const it of stored) {
    const found = it.periods.map((p) => analyses.get(snapshotKey(it.s.slo.id, it.rid, p.startMs, p.endMs)));
    // a period it does not hold, or rewritten between the two reads (bounds that moved): analysed here instead
    if (found.some((a) => a === undefined)) {
      it.stored = false;
      it.periods = deps.periodsOf(it.s.model, nowMs);
      continue;
    }
    for (const a of found) if (a!.hasData) it.out.push(depletionRow(it.s, regions.get(it.rid) ?? it.rid, a!));
  }
  const live = items.filter((it) => !it.stored);
  let next = 0;
  const one = async (it: Item) => {
    const series = await loadPeriodsSeries(db, it.s.slo.id, it.rid, it.periods, nowMs);
    for (const p of it.periods) {
      const a = analysePeriod(it.s.model, series, p, nowMs, { firstDataMs: it.first });
      if (a.hasData) it.out.push(depletionRow(it.s, regions.get(it.rid) ?? it.rid, a));
    }
  };
  await Promise.all(
    Array.from({ length: DEPLETION_CONCURRENCY }, async () => {
      while (next < live.length) await one(live[next++]!);
    }),
  );
  return items.flatMap((it) => it.out);
}
