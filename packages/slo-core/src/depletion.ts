import { budgetExhausted } from "./error-budget.js";
import { HOUR_MS } from "./time-units.js";
import type { TimeSpan } from "./types.js";

/** A stretch of time during which the remaining budget kept falling (book §11.2.4). */
export interface DepletionEpisode {
  startMs: number;
  endMs: number;
  /** Budget lost in the episode, as a fraction of the period budget (0.7 = 70%). */
  depletedFraction: number;
  /** % of budget per hour: depletedFraction × 100 ÷ hours. */
  speedPercentPerHour: number;
}

/** Falls smaller than this are floating-point noise, not depletion. */
const FALL_TOLERANCE = 1e-12;
/** Fractions are reported as percentages. */
const PERCENT = 100;

function speed(depletedFraction: number, durationMs: number): number {
  return (depletedFraction * PERCENT) / (durationMs / HOUR_MS);
}

/** Splits a remaining-budget curve into contiguous stretches where it falls from point to point. */
export function depletionEpisodes(curve: { tMs: number; remaining: number }[]): DepletionEpisode[] {
  const out: DepletionEpisode[] = [];
  let start = -1;
  const close = (end: number): void => {
    const a = curve[start];
    const b = curve[end];
    if (a && b && b.tMs > a.tMs) {
      const depletedFraction = a.remaining - b.remaining;
      out.push({
        startMs: a.tMs,
        endMs: b.tMs,
        depletedFraction,
        speedPercentPerHour: speed(depletedFraction, b.tMs - a.tMs),
      });
    }
    start = -1;
  };
  for (let i = 1; i < curve.length; i++) {
    const prev = curve[i - 1];
    const cur = curve[i];
    if (!prev || !cur) continue;
    const falling = prev.remaining - cur.remaining > FALL_TOLERANCE;
    if (falling && start < 0) start = i - 1;
    if (!falling && start >= 0) close(i - 1);
  }
  if (start >= 0) close(curve.length - 1);
  return out;
}

/**
 * Depletion speed per episode (% per hour), their unweighted average and the maximum (book §11.2.4).
 * Episodes with no duration are skipped. Average and max are null when there is no episode.
 */
export function depletionSpeed(episodes: { depletedFraction: number; durationMs: number }[]): {
  averagePercentPerHour: number | null;
  maxPercentPerHour: number | null;
  speeds: number[];
} {
  const speeds = episodes.filter((e) => e.durationMs > 0).map((e) => speed(e.depletedFraction, e.durationMs));
  if (speeds.length === 0) return { averagePercentPerHour: null, maxPercentPerHour: null, speeds };
  const sum = speeds.reduce((a, b) => a + b, 0);
  return { averagePercentPerHour: sum / speeds.length, maxPercentPerHour: Math.max(...speeds), speeds };
}

/**
 * Whether the budget ran out (remaining ≤ 0) before the period ended, when, how long after the
 * period start, and the shortfall at the end (−remaining at the last point of the period if < 0).
 */
export function prematureExhaustion(
  curve: { tMs: number; remaining: number }[],
  period: TimeSpan,
): {
  exhausted: boolean;
  exhaustedAtMs: number | null;
  timeToExhaustionMs: number | null;
  shortfall: number;
} {
  const inPeriod = curve.filter((p) => p.tMs >= period.startMs && p.tMs <= period.endMs);
  const first = inPeriod.find((p) => p.tMs < period.endMs && budgetExhausted(p.remaining));
  const last = inPeriod[inPeriod.length - 1];
  const shortfall = last && last.remaining < 0 ? -last.remaining : 0;
  if (!first) return { exhausted: false, exhaustedAtMs: null, timeToExhaustionMs: null, shortfall };
  return {
    exhausted: true,
    exhaustedAtMs: first.tMs,
    timeToExhaustionMs: first.tMs - period.startMs,
    shortfall,
  };
}

/**
 * A period is fulfilled when its remaining budget at the end is ≥ 0 (its errors never exceeded the budget),
 * otherwise broken. A period ending at exactly 0 is fulfilled with its budget exhausted (budgetExhausted).
 */
export function adherence(remainingAtEnd: number): "fulfilled" | "broken" {
  return remainingAtEnd >= 0 ? "fulfilled" : "broken";
}
