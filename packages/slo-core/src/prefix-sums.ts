import type { EventCounts } from "./types.js";
import { MINUTE_MS } from "./time-units.js";

/** Per-minute counts: index i covers [startMs + i·1 min, startMs + (i+1)·1 min). */
export interface MinuteSeries {
  startMs: number;
  good: Float64Array | number[];
  total: Float64Array | number[];
}

/** Cumulative sums of a MinuteSeries: `good[i]` = good events in minutes 0…i−1 (length n+1). */
export interface PrefixSums {
  startMs: number;
  good: Float64Array;
  total: Float64Array;
}

/** O(n) once, so that every window sum afterwards is O(1). */
export function buildPrefixSums(s: MinuteSeries): PrefixSums {
  const n = Math.min(s.good.length, s.total.length);
  const good = new Float64Array(n + 1);
  const total = new Float64Array(n + 1);
  let g = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    g += s.good[i] ?? 0;
    t += s.total[i] ?? 0;
    good[i + 1] = g;
    total[i + 1] = t;
  }
  return { startMs: s.startMs, good, total };
}

/**
 * Cumulative counts known only at chosen instants: `at.get(t)` = the counts of every minute that starts before
 * `t` (from any fixed origin). Window sums are differences, so the origin does not matter. This is what the
 * store keeps (a running total per hour), so evaluation reads a handful of numbers instead of every minute.
 */
export interface SampledSums {
  at: ReadonlyMap<number, EventCounts>;
}

/** Where window sums come from: every minute (PrefixSums), or running totals at the instants needed. */
export type CountSums = PrefixSums | SampledSums;

export function isSampled(p: CountSums): p is SampledSums {
  return (p as SampledSums).at !== undefined;
}

/** Number of minutes a series or prefix sum covers. */
export function minutesCovered(p: PrefixSums): number {
  return p.total.length - 1;
}

/** Index of the first minute that starts at or after `atMs`, clamped to [0, n]. */
function minuteIndex(p: PrefixSums, atMs: number): number {
  const i = Math.ceil((atMs - p.startMs) / MINUTE_MS);
  const n = p.total.length - 1;
  return i < 0 ? 0 : i > n ? n : i;
}

function sampledAt(p: SampledSums, atMs: number): EventCounts {
  const c = p.at.get(atMs);
  if (!c) throw new Error(`no cumulative counts sampled at ${new Date(atMs).toISOString()}`);
  return c;
}

/**
 * Counts of the minutes whose start lies in [fromMs, toMs): clamped to the series for PrefixSums; for
 * SampledSums both instants must have been sampled (see evaluationInstants). O(1).
 */
export function windowCounts(p: CountSums, fromMs: number, toMs: number): EventCounts {
  if (isSampled(p)) {
    if (toMs <= fromMs) return { good: 0, total: 0 };
    const a = sampledAt(p, fromMs);
    const b = sampledAt(p, toMs);
    return { good: b.good - a.good, total: b.total - a.total };
  }
  const a = minuteIndex(p, fromMs);
  const b = minuteIndex(p, toMs);
  if (b <= a) return { good: 0, total: 0 };
  return { good: (p.good[b] ?? 0) - (p.good[a] ?? 0), total: (p.total[b] ?? 0) - (p.total[a] ?? 0) };
}
