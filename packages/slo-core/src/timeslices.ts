import { errorBudget } from "./error-budget.js";
import { roundSignificant } from "./numeric.js";
import type { EventCounts } from "./types.js";

/** A minute is bad when it had traffic and its SLI is below the objective. Empty minutes are not bad. */
export function isBadSlice(c: EventCounts, objective: number): boolean {
  if (c.total <= 0) return false;
  return roundSignificant(c.good / c.total) < objective;
}

/** Bad minutes allowed in a period of `periodMinutes`: ε × minutes. */
export function allowedBadSlices(objective: number, periodMinutes: number): number {
  return roundSignificant(errorBudget(objective) * periodMinutes);
}

/** Timeslices remaining budget: 1 − badMinutes ÷ (ε × periodMinutes). Never rises as minutes are added. */
export function timeslicesRemaining(
  minutes: EventCounts[],
  objective: number,
  periodMinutes: number,
): number {
  let bad = 0;
  for (const m of minutes) if (isBadSlice(m, objective)) bad += 1;
  return remainingFromBadSlices(bad, objective, periodMinutes);
}

/** 1 − bad ÷ allowed, for a count of bad minutes already known. */
export function remainingFromBadSlices(badMinutes: number, objective: number, periodMinutes: number): number {
  const allowed = allowedBadSlices(objective, periodMinutes);
  if (allowed <= 0) return badMinutes > 0 ? Number.NEGATIVE_INFINITY : 1;
  return 1 - badMinutes / allowed;
}
