import { definitelyGreater, lessOrAbout } from "./numeric.js";
import { MINUTE_MS } from "./time-units.js";

export type Priority = "P1" | "P2" | "P3" | "P4" | "P5";

/** Book Tbl 9.6: share of the monthly budget burned within consecutive minutes, checked from P1 down. */
export const PRIORITY_BY_BURN: readonly { priority: Priority; spentFraction: number; withinMs: number }[] = [
  { priority: "P1", spentFraction: 0.75, withinMs: 5 * MINUTE_MS },
  { priority: "P2", spentFraction: 0.5, withinMs: 10 * MINUTE_MS },
  { priority: "P3", spentFraction: 0.25, withinMs: 15 * MINUTE_MS },
  { priority: "P4", spentFraction: 0.25, withinMs: 20 * MINUTE_MS },
];

/** Book Tbl 9.5: remaining budget at or below which a priority applies, when exhaustion is projected early. */
export const PRIORITY_BY_REMAINING: readonly { priority: Priority; remainingAtMost: number }[] = [
  { priority: "P1", remainingAtMost: 0.2 },
  { priority: "P2", remainingAtMost: 0.4 },
  { priority: "P3", remainingAtMost: 0.6 },
  { priority: "P4", remainingAtMost: 0.8 },
];

/** Default priority from burn speed: more than X of the monthly budget spent within `withinMs`. */
export function priorityFromBurn(budgetSpentFraction: number, withinMs: number): Priority | null {
  for (const rule of PRIORITY_BY_BURN) {
    if (withinMs <= rule.withinMs && definitelyGreater(budgetSpentFraction, rule.spentFraction))
      return rule.priority;
  }
  return null;
}

/** Default priority from how little budget is left; only when the trend runs out before period end. */
export function priorityFromRemaining(
  remaining: number,
  projectedExhaustionBeforeEnd: boolean,
): Priority | null {
  if (!projectedExhaustionBeforeEnd) return null;
  for (const rule of PRIORITY_BY_REMAINING) {
    if (lessOrAbout(remaining, rule.remainingAtMost)) return rule.priority;
  }
  return null;
}
