import { budgetExhausted } from "./error-budget.js";
import { greaterOrAbout } from "./numeric.js";

/** Automatic error budget policy conditions (book §10.4, Table 10.2 A, B, E, F). */
export type PolicyCondition =
  | { type: "exhausted" }
  | { type: "consumed"; percent: number }
  | { type: "burned_within"; percent: number; hours: number };

/** Fractions are compared as percentages. */
const PERCENT = 100;

/**
 * Whether a condition holds. `value` is what was compared: remaining (exhausted), % of the period
 * budget consumed (consumed), or % burned within the last `hours` (burned_within; NaN and not met
 * when `burnedFractionWithin` is not supplied).
 */
export function evaluateCondition(
  cond: PolicyCondition,
  input: { remaining: number; burnedFractionWithin?: (hours: number) => number },
): { met: boolean; value: number } {
  switch (cond.type) {
    case "exhausted":
      return { met: budgetExhausted(input.remaining), value: input.remaining };
    case "consumed": {
      const value = (1 - input.remaining) * PERCENT;
      return { met: greaterOrAbout(value, cond.percent), value };
    }
    case "burned_within": {
      if (!input.burnedFractionWithin) return { met: false, value: Number.NaN };
      const value = input.burnedFractionWithin(cond.hours) * PERCENT;
      return { met: greaterOrAbout(value, cond.percent), value };
    }
  }
}
