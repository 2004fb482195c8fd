import { roundSignificant } from "./numeric.js";

/** The book's default SLOs for a service (per SLI): availability 90%, latency 80% within 1000 ms. */
export const BOOK_DEFAULT_SLOS = {
  availability: { objectivePercent: 90 },
  latency: { objectivePercent: 80, thresholdMs: 1000 },
} as const satisfies {
  availability: { objectivePercent: 90 };
  latency: { objectivePercent: 80; thresholdMs: 1000 };
};

/** Percent → fraction (99.9 → 0.999). RangeError unless 0 < p < 100: 100% leaves no budget at all. */
export function percentToObjective(p: number): number {
  if (!Number.isFinite(p) || p <= 0 || p >= 100)
    throw new RangeError(`objective percent must be in (0, 100), got ${p}`);
  return roundSignificant(p / 100);
}

/** Fraction → percent (0.999 → 99.9). */
export function objectiveToPercent(objective: number): number {
  return roundSignificant(objective * 100);
}
