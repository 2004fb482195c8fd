import type { AlertTier } from "./alert-tier.js";
import { burnRate } from "./burn-rate.js";
import { STATUS_WINDOWS } from "./evaluate.js";
import { windowCounts, type CountSums } from "./prefix-sums.js";
import { sli } from "./sli.js";
import { windowLabel } from "./window-label.js";

/**
 * The windows an SLO's numbers are published for: every status window, plus every long and short window of
 * its tiers (a tuned tier may read a window the status does not show). Shortest first, each once.
 */
export function metricWindows(tiers: readonly AlertTier[]): { window: string; windowMs: number }[] {
  const ms = new Set<number>(Object.values(STATUS_WINDOWS));
  for (const t of tiers) {
    ms.add(t.longWindowMs);
    if (t.shortWindowMs !== null) ms.add(t.shortWindowMs);
  }
  return [...ms].sort((a, b) => a - b).map((windowMs) => ({ window: windowLabel(windowMs), windowMs }));
}

export interface WindowMetric {
  window: string;
  windowMs: number;
  /** good / total in the window; null when it had no traffic (no data). */
  sli: number | null;
  /** (bad / total) / error budget in the window; null when it had no traffic. */
  burnRate: number | null;
}

/**
 * SLI and burn rate over each of metricWindows(tiers), every window ending at `toMs`. Same window sums and
 * formulas as the status (burnRatesAt) and the tiers (evaluateTiers), so the numbers are identical.
 */
export function windowMetrics(
  p: CountSums,
  toMs: number,
  objective: number,
  tiers: readonly AlertTier[],
): WindowMetric[] {
  return metricWindows(tiers).map(({ window, windowMs }) => {
    const counts = windowCounts(p, toMs - windowMs, toMs);
    return { window, windowMs, sli: sli(counts), burnRate: burnRate(counts, objective) };
  });
}
