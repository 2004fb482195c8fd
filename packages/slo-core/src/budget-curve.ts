import { remainingBudget } from "./error-budget.js";
import { periodAt } from "./period.js";
import { buildPrefixSums, windowCounts, type MinuteSeries, type PrefixSums } from "./prefix-sums.js";
import { isBadSlice, remainingFromBadSlices } from "./timeslices.js";
import { MINUTE_MS } from "./time-units.js";
import type { BudgetingMethod, SloWindow } from "./types.js";

export interface BudgetCurvePoint {
  tMs: number;
  /** Remaining budget of the period at tMs; null when the series holds no minute of [periodStart, t). */
  remaining: number | null;
  periodStartMs: number;
}

/** Prefix sums of bad-minute flags (timeslices), aligned with the series. */
function badSlicePrefix(series: MinuteSeries, objective: number): PrefixSums {
  const n = Math.min(series.good.length, series.total.length);
  const flags = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    flags[i] = isBadSlice({ good: series.good[i] ?? 0, total: series.total[i] ?? 0 }, objective) ? 1 : 0;
  }
  return buildPrefixSums({ startMs: series.startMs, good: flags, total: flags });
}

/**
 * Remaining budget over time for charts, sampled every `stepMs` from `fromMs` to `toMs` inclusive.
 * Each point is computed over its own period, [periodStart, t): calendar windows reset to 100% at
 * every period start and debt is not carried; rolling windows look back `days` from t.
 * occurrences: 1 − bad ÷ (ε × events so far); timeslices: 1 − bad minutes ÷ (ε × minutes in the period).
 */
export function budgetCurve(args: {
  series: MinuteSeries;
  window: SloWindow;
  objective: number;
  method: BudgetingMethod;
  fromMs: number;
  toMs: number;
  stepMs: number;
}): BudgetCurvePoint[] {
  const { series, window, objective, method, fromMs, toMs, stepMs } = args;
  if (!(stepMs > 0)) throw new RangeError("stepMs must be > 0");
  const counts = buildPrefixSums(series);
  const bad = method === "timeslices" ? badSlicePrefix(series, objective) : null;
  const seriesEndMs = series.startMs + (counts.total.length - 1) * MINUTE_MS;
  const out: BudgetCurvePoint[] = [];
  let period = periodAt(window, fromMs);
  for (let t = fromMs; t <= toMs; t += stepMs) {
    if (window.type === "rolling" || t >= period.endMs || t < period.startMs) period = periodAt(window, t);
    const periodStartMs = period.startMs;
    const covered = t > series.startMs && periodStartMs < seriesEndMs;
    let remaining: number | null = null;
    if (covered) {
      if (bad) {
        const badMinutes = windowCounts(bad, periodStartMs, t).total;
        remaining = remainingFromBadSlices(
          badMinutes,
          objective,
          (period.endMs - period.startMs) / MINUTE_MS,
        );
      } else {
        remaining = remainingBudget(windowCounts(counts, periodStartMs, t), objective);
      }
    }
    out.push({ tMs: t, remaining, periodStartMs });
  }
  return out;
}
