import { isSampled, windowCounts, type CountSums } from "./prefix-sums.js";
import { MINUTE_MS } from "./time-units.js";
import { isBadSlice } from "./timeslices.js";
import type { BudgetingMethod } from "./types.js";

export interface IncidentBudgetImpact {
  /** Requests in the interval (the SLI's counts are always requests). */
  good: number;
  total: number;
  /** Bad requests (occurrences) or bad minutes (timeslices) in the interval. */
  badDuring: number;
  /** badDuring ÷ the period's allowed budget; null when nothing was allowed. */
  consumedFraction: number | null;
}

/**
 * The error budget an incident consumed: what went bad in [fromMs, toMs) (minute-aligned), in the budget's unit, over
 * the budget the period allows (`allowed`, read from the status at the end). Occurrences count bad requests, so the
 * running totals at both ends are enough; timeslices count the bad minutes one by one (PrefixSums needed).
 */
export function incidentBudgetImpact(
  model: { objective: number; method: BudgetingMethod },
  p: CountSums,
  fromMs: number,
  toMs: number,
  allowed: number,
): IncidentBudgetImpact {
  if (fromMs % MINUTE_MS !== 0 || toMs % MINUTE_MS !== 0 || toMs < fromMs)
    throw new Error("the interval must be whole minutes, from before to");
  const c = windowCounts(p, fromMs, toMs);
  let badDuring: number;
  if (model.method === "timeslices") {
    if (isSampled(p)) throw new Error("timeslices budgeting needs every minute of the interval");
    badDuring = 0;
    for (let t = fromMs; t < toMs; t += MINUTE_MS)
      if (isBadSlice(windowCounts(p, t, t + MINUTE_MS), model.objective)) badDuring++;
  } else badDuring = c.total - c.good;
  return {
    good: c.good,
    total: c.total,
    badDuring,
    consumedFraction: allowed > 0 ? badDuring / allowed : null,
  };
}
