import { roundDecimals, roundSignificant } from "./numeric.js";
import { badEvents } from "./sli.js";
import type { EventCounts } from "./types.js";

/**
 * ε = 1 − objective (objective is a fraction such as 0.999), rounded to 12 decimal places to kill
 * the subtraction's floating-point noise (1 − 0.999 is 0.0010000000000000009 in JS).
 */
export function errorBudget(objective: number): number {
  return roundDecimals(1 - objective);
}

/** Bad events the budget allows for these counts: ε × total. */
export function allowedBad(c: EventCounts, objective: number): number {
  return roundSignificant(errorBudget(objective) * c.total);
}

/**
 * Fraction of the budget spent: bad ÷ (ε × total). 0 when there was no traffic.
 * Equals the burn rate when the counts cover the whole period.
 */
export function budgetSpent(c: EventCounts, objective: number): number {
  if (c.total <= 0) return 0;
  const allowed = allowedBad(c, objective);
  const bad = badEvents(c);
  if (allowed <= 0) return bad > 0 ? Number.POSITIVE_INFINITY : 0;
  return bad / allowed;
}

/**
 * The budget is exhausted when none is left: remaining ≤ 0. At exactly 0 it is spent in full, not overspent:
 * the next bad event breaks the objective, so alerts, policies, priorities and "ran out" all count it as
 * exhausted, while a period ending there still met its objective (adherence: fulfilled, which is remaining ≥ 0;
 * broken is remaining < 0). Both are true of a budget at exactly 0, by design.
 */
export function budgetExhausted(remaining: number): boolean {
  return remaining <= 0;
}

/**
 * Occurrences remaining budget: 1 − bad ÷ (ε × total). 1 when total is 0 (nothing spent).
 * Goes below 0 when the budget is overspent (debt).
 */
export function remainingBudget(c: EventCounts, objective: number): number {
  return 1 - budgetSpent(c, objective);
}
