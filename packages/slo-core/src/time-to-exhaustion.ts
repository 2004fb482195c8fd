import { budgetExhausted } from "./error-budget.js";
import { HOUR_MS } from "./time-units.js";

/** Hours until the budget runs out at this burn rate: remaining × P ÷ burn. 0 if none is left; null if not burning. */
export function timeToExhaustionHours(
  remaining: number,
  periodMs: number,
  burnRate: number | null,
): number | null {
  if (budgetExhausted(remaining)) return 0;
  if (burnRate === null || burnRate <= 0) return null;
  return (remaining * periodMs) / burnRate / HOUR_MS;
}

/** Time to spend a full budget at a constant burn rate (Workbook Table 5-4): P ÷ burn. */
export function exhaustionTimeMs(burnRate: number, periodMs: number): number | null {
  if (burnRate <= 0) return null;
  return periodMs / burnRate;
}
