import { greaterOrAbout } from "./numeric.js";

/** Fractions are compared with thresholds written in percent. */
const PERCENT = 100;

/**
 * The consumed-budget thresholds (percent of the period budget) a period has reached: consumed ≥ threshold,
 * within floating-point noise (a period that consumed exactly half its budget has reached 50%). Sorted, each
 * once. `consumed` is a fraction (0.5 = 50%), above 1 once the budget is overspent.
 */
export function thresholdsReached(consumed: number, thresholds: readonly number[]): number[] {
  if (Number.isNaN(consumed)) return [];
  return [...new Set(thresholds)]
    .filter((t) => t > 0 && (consumed === Number.POSITIVE_INFINITY || greaterOrAbout(consumed * PERCENT, t)))
    .sort((a, b) => a - b);
}
