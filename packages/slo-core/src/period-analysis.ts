import { budgetCurve } from "./budget-curve.js";
import { adherence, depletionEpisodes, depletionSpeed, prematureExhaustion } from "./depletion.js";
import { dayOfPeriod, localDate, partialHistory, periodDates, type PeriodDates } from "./period-dates.js";
import { periodAt, periodLengthMs, previousPeriods } from "./period.js";
import { buildPrefixSums, windowCounts, type MinuteSeries } from "./prefix-sums.js";
import type { SloModel } from "./slo-status.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";
import type { TimeSpan } from "./types.js";

/** One period of one SLO × region, judged: the budget curve (hourly), exhaustion and depletion. */
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

/** Per-minute good and total counts from `startMs`, one element per minute (what the SLI store reads). */
export interface DenseMinuteSeries extends MinuteSeries {
  good: Float64Array;
  total: Float64Array;
}

/** The first minute with traffic in [fromMs, toMs) of a series, or null. */
function firstDataMs(s: DenseMinuteSeries, fromMs: number, toMs: number): number | null {
  const a = Math.max(0, Math.ceil((fromMs - s.startMs) / MINUTE_MS));
  const b = Math.min(s.total.length, Math.ceil((toMs - s.startMs) / MINUTE_MS));
  for (let i = a; i < b; i++) if (s.total[i]! > 0) return s.startMs + i * MINUTE_MS;
  return null;
}

/** The part of a minute series that covers [fromMs, toMs) (a view, not a copy). */
function slice(s: DenseMinuteSeries, fromMs: number, toMs: number): DenseMinuteSeries {
  const a = Math.max(0, Math.ceil((fromMs - s.startMs) / MINUTE_MS));
  const b = Math.max(a, Math.min(s.good.length, Math.ceil((toMs - s.startMs) / MINUTE_MS)));
  return { startMs: s.startMs + a * MINUTE_MS, good: s.good.subarray(a, b), total: s.total.subarray(a, b) };
}

/**
 * Judges one period. The series is cut at the period start, so the curve starts at 100% there for rolling
 * windows too (a rolling window's "periods" are back-to-back windows of its length, previousPeriods).
 * Curve points are hourly, plus one at the end of the period (or now, while it runs).
 */
export function analysePeriod(
  model: SloModel,
  series: DenseMinuteSeries,
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

const YEAR_MS = 365 * DAY_MS;

/** The windows the manager indicators offer: the current period, the previous one, or every one of the last year. */
export type IndicatorWindowKind = "current" | "previous" | "year";

/** The periods an indicator window covers for one SLO: the current, the previous, or every one of the last year. */
export function windowPeriods(model: SloModel, kind: IndicatorWindowKind, nowMs: number): TimeSpan[] {
  if (kind === "current") return [periodAt(model.window, nowMs)];
  if (kind === "previous") return previousPeriods(model.window, nowMs, 1);
  const len = periodLengthMs(model.window, nowMs);
  const n = Math.min(30, Math.ceil(YEAR_MS / len));
  return [periodAt(model.window, nowMs), ...previousPeriods(model.window, nowMs, n)]
    .filter((p) => p.endMs > nowMs - YEAR_MS)
    .reverse();
}

/**
 * The span an indicator window's endpoint tables cover (they belong to no SLO): the last year, or a 28-day
 * rolling period, the current one or the one before it.
 */
export function endpointTableSpan(kind: IndicatorWindowKind, nowMs: number): TimeSpan {
  if (kind === "year") return { startMs: nowMs - YEAR_MS, endMs: nowMs };
  const p = periodAt({ type: "rolling", days: 28 }, nowMs);
  return kind === "current" ? p : { startMs: p.startMs - 28 * DAY_MS, endMs: p.startMs };
}
