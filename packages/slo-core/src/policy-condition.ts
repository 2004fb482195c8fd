import { budgetExhausted } from "./error-budget.js";
import { greaterOrAbout } from "./numeric.js";
import { HOUR_MS, MINUTE_MS } from "./time-units.js";

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

/**
 * The instants whose running totals a policy's conditions read for one SLO at `nowMs`: the status instants
 * (`statusInstants`), and the start of each "burned within H hours" (never before the period's start). Each
 * instant once.
 */
export function conditionInstants(
  statusInstants: number[],
  periodStartMs: number,
  conditions: readonly { type: string; hours?: number }[],
  nowMs: number,
): number[] {
  const end = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const instants = [
    ...statusInstants,
    ...conditions.flatMap((c) =>
      c.type === "burned_within" && c.hours !== undefined
        ? [Math.max(periodStartMs, end - c.hours * HOUR_MS)]
        : [],
    ),
  ];
  return [...new Set(instants)];
}
