import { errorBudget } from "./error-budget.js";
import { definitelyGreater, roundSignificant } from "./numeric.js";
import { badEvents } from "./sli.js";
import type { EventCounts } from "./types.js";

/**
 * How many times faster than "exactly on budget" errors arrive: (bad ÷ total) ÷ ε.
 * 1 = the budget lasts exactly the period. `null` = no traffic (no data).
 */
export function burnRate(c: EventCounts, objective: number): number | null {
  if (c.total <= 0) return null; // no traffic is "no data", not "healthy"
  return badEvents(c) / c.total / errorBudget(objective);
}

/**
 * True when the burn rate is strictly greater than the factor, ignoring floating-point noise:
 * a burn of exactly 14.4 computed as 0.0144 / 0.001 does not fire. `null` (no data) never fires.
 */
export function exceedsFactor(burn: number | null, factor: number): boolean {
  if (burn === null || Number.isNaN(burn)) return false;
  return definitelyGreater(burn, roundSignificant(factor));
}
