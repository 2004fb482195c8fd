import type { DepletionRow, PeriodCell, PeriodsResponse, ReportFilterQuery } from "@burnrate/contracts";
import {
  firstDataMs as firstStoredMs,
  loadSliSeries,
  regionsOfSlos,
  type Db,
  type DenseSeries,
} from "@burnrate/db";
import {
  HOUR_MS,
  MINUTE_MS,
  adherence,
  budgetCurve,
  buildPrefixSums,
  windowCounts,
  depletionEpisodes,
  depletionSpeed,
  periodAt,
  prematureExhaustion,
  previousPeriods,
  dayOfPeriod,
  localDate,
  partialHistory,
  periodDates,
  type PeriodDates,
  type SloModel,
  type TimeSpan,
} from "@burnrate/slo-core";
import { loadReportSlos, regionIds, sloRef, windowLabel, type ReportSlo } from "./common";

/** One period of one SLO × region, judged with slo-core: the budget curve (hourly), exhaustion and depletion. */
export interface PeriodAnalysis {
  period: TimeSpan;
  complete: boolean;
  hasData: boolean;
  remainingAtEnd: number | null;
  adherence: "fulfilled" | "broken" | null;
  exhausted: boolean;
  exhaustedAt: number | null;
  timeToExhaustionHours: number | null;
  dates: PeriodDates;
  exhaustedOn: string | null;
  exhaustedDay: number | null;
  historyDays: number | null;
  averageSpeed: number | null;
  maxSpeed: number | null;
  episodes: { start: number; end: number; depletedPercent: number; speedPercentPerHour: number }[];
  /** The remaining-budget curve the period was judged on (hourly, plus the end or now). */
  curve: { tMs: number; remaining: number }[];
  /** Good and total events of the period (so far). */
  counts: { good: number; total: number };
}

/** The first minute with traffic in [fromMs, toMs) of a series, or null. */
function firstDataMs(s: DenseSeries, fromMs: number, toMs: number): number | null {
  const a = Math.max(0, Math.ceil((fromMs - s.startMs) / MINUTE_MS));
  const b = Math.min(s.total.length, Math.ceil((toMs - s.startMs) / MINUTE_MS));
  for (let i = a; i < b; i++) if (s.total[i]! > 0) return s.startMs + i * MINUTE_MS;
  return null;
}

/** The part of a dense series that covers [fromMs, toMs) (a view, not a copy). */
function slice(s: DenseSeries, fromMs: number, toMs: number): DenseSeries {
  const a = Math.max(0, Math.ceil((fromMs - s.startMs) / MINUTE_MS));
  const b = Math.max(a, Math.min(s.good.length, Math.ceil((toMs - s.startMs) / MINUTE_MS)));
  return { startMs: s.startMs + a * MINUTE_MS, good: s.good.subarray(a, b), total: s.total.subarray(a, b) };
}

/**
 * Judges one period. The series is cut at the period start, so the curve starts at 100% there for rolling
 * windows too (a rolling window's "periods" are back-to-back windows of its length, slo-core previousPeriods).
 * Curve points are hourly, plus one at the end of the period (or now, while it runs).
 */
export function analysePeriod(
  model: SloModel,
  series: DenseSeries,
  period: TimeSpan,
  nowMs: number,
  opts: { stepMs?: number; firstDataMs?: number | null } = {},
): PeriodAnalysis {
  const stepMs = opts.stepMs ?? HOUR_MS;
  const endMs = Math.min(period.endMs, nowMs);
  // A rolling window's current period ends now and never closes: only a period that ended before now is complete.
  const complete = period.endMs < nowMs;
  const part = slice(series, period.startMs, endMs);
  // any traffic in the period (counts are never negative): a scan that stops at the first minute with some
  const hasData = part.total.some((t) => t > 0);
  const dates = periodDates(model.window, period);
  if (!hasData)
    return {
      period,
      complete,
      hasData,
      remainingAtEnd: null,
      adherence: null,
      exhausted: false,
      exhaustedAt: null,
      timeToExhaustionHours: null,
      dates,
      exhaustedOn: null,
      exhaustedDay: null,
      historyDays: null,
      averageSpeed: null,
      maxSpeed: null,
      episodes: [],
      curve: [{ tMs: period.startMs, remaining: 1 }],
      counts: { good: 0, total: 0 },
    };
  const args = { series: part, window: model.window, objective: model.objective, method: model.method };
  const hourly =
    endMs - 1 >= period.startMs + stepMs
      ? budgetCurve({ ...args, fromMs: period.startMs + stepMs, toMs: endMs - 1, stepMs })
      : [];
  const last = budgetCurve({ ...args, fromMs: endMs - 1, toMs: endMs - 1, stepMs })[0];
  const curve = [{ tMs: period.startMs, remaining: 1 }, ...hourly, ...(last ? [{ ...last, tMs: endMs }] : [])]
    .filter((p): p is { tMs: number; remaining: number; periodStartMs: number } => p.remaining !== null)
    .map((p) => ({ tMs: p.tMs, remaining: p.remaining }));
  const counts = windowCounts(buildPrefixSums(part), period.startMs, endMs);
  const remainingAtEnd = curve[curve.length - 1]?.remaining ?? 1;
  const episodes = depletionEpisodes(curve);
  const speed = depletionSpeed(
    episodes.map((e) => ({ depletedFraction: e.depletedFraction, durationMs: e.endMs - e.startMs })),
  );
  // While a period runs, running out now is running out early too.
  const premature = prematureExhaustion(curve, {
    startMs: period.startMs,
    endMs: complete ? period.endMs : Number.POSITIVE_INFINITY,
  });
  // The SLO's first data: the store's when given, else the series' (data before the period: covered).
  const first =
    opts.firstDataMs !== undefined
      ? opts.firstDataMs
      : (firstDataMs(series, series.startMs, period.startMs) ?? firstDataMs(series, period.startMs, endMs));
  const history = partialHistory(model.window, period, first, endMs);
  const exhaustedAt = premature.exhaustedAtMs;
  return {
    period,
    complete,
    hasData,
    remainingAtEnd,
    adherence: adherence(remainingAtEnd),
    exhausted: premature.exhausted,
    exhaustedAt,
    timeToExhaustionHours:
      exhaustedAt === null ? null : (exhaustedAt - (history?.fromMs ?? period.startMs)) / HOUR_MS,
    dates,
    exhaustedOn: exhaustedAt === null ? null : localDate(exhaustedAt, dates.timeZone),
    exhaustedDay: exhaustedAt === null ? null : dayOfPeriod(model.window, period, exhaustedAt),
    historyDays: history?.days ?? null,
    averageSpeed: speed.averagePercentPerHour,
    maxSpeed: speed.maxPercentPerHour,
    episodes: episodes.map((e) => ({
      start: e.startMs,
      end: e.endMs,
      depletedPercent: e.depletedFraction * 100,
      speedPercentPerHour: e.speedPercentPerHour,
    })),
    curve,
    counts,
  };
}

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

const toCell = (a: PeriodAnalysis): PeriodCell => ({
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

/** Depletion rows (book §11.2.4) for each SLO × region with data × period, in SLO order then region slug. */
export async function depletionRows(deps: {
  db: Db;
  filter: ReportFilterQuery;
  periodsOf: (model: SloModel) => TimeSpan[];
  nowMs: number;
  /** the report's SLOs when the caller has loaded them already */
  slos?: ReportSlo[];
}): Promise<DepletionRow[]> {
  const { db, filter, nowMs } = deps;
  const regions = await regionIds(db);
  const regionFilter = filter.region && filter.region !== "all" ? filter.region : null;
  const slos = deps.slos ?? (await loadReportSlos(db, filter, nowMs));
  const regionsOf = await regionsOfSlos(
    db,
    slos.map((s) => s.slo.id),
  );
  const perSlo: DepletionRow[][] = Array.from({ length: slos.length }, () => []);
  let next = 0;
  const one = async (i: number) => {
    const s = slos[i]!;
    const out = perSlo[i]!;
    const periods = deps.periodsOf(s.model);
    if (periods.length === 0) return;
    const from = Math.min(...periods.map((p) => p.startMs));
    const withData = (regionsOf.get(s.slo.id) ?? []).filter((r) => r.lastMs >= from);
    const rids = withData
      .map((r) => r.id)
      .filter((rid) => !regionFilter || regions.get(rid) === regionFilter)
      .sort((a, b) => (regions.get(a) ?? "").localeCompare(regions.get(b) ?? ""));
    for (const rid of rids) {
      const series = await loadPeriodsSeries(db, s.slo.id, rid, periods, nowMs);
      const first = withData.find((r) => r.id === rid)?.firstMs ?? null;
      for (const p of periods) {
        const a = analysePeriod(s.model, series, p, nowMs, { firstDataMs: first });
        if (!a.hasData) continue;
        out.push({
          ...sloRef(s.slo),
          region: regions.get(rid) ?? rid,
          period: { start: p.startMs, end: p.endMs },
          complete: a.complete,
          remainingAtEnd: a.remainingAtEnd,
          adherence: a.adherence,
          averageSpeedPercentPerHour: a.averageSpeed,
          maxSpeedPercentPerHour: a.maxSpeed,
          episodes: a.episodes,
          exhausted: a.exhausted,
          exhaustedAt: a.exhaustedAt,
          timeToExhaustionHours: a.timeToExhaustionHours,
          dates: a.dates,
          exhaustedOn: a.exhaustedOn,
          exhaustedDay: a.exhaustedDay,
          historyDays: a.historyDays,
        });
      }
    }
  };
  await Promise.all(
    Array.from({ length: DEPLETION_CONCURRENCY }, async () => {
      while (next < slos.length) await one(next++);
    }),
  );
  return perSlo.flat();
}
