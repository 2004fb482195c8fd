import { errorBudget } from "./error-budget.js";
import { periodAt, periodLengthMs } from "./period.js";
import { isSampled, windowCounts, type CountSums } from "./prefix-sums.js";
import { MINUTE_MS } from "./time-units.js";
import { timeslicesRemaining } from "./timeslices.js";
import type { BudgetingMethod, SloWindow } from "./types.js";

/**
 * Share of the current period's error budget spent in the last `windowMs` (book §10: "≥ 30% of the budget
 * burned within 24 h"). Only the part of the window inside the current period counts. Occurrences: bad
 * events in the window ÷ the budget allowed by the period's events so far (the same denominator as
 * "consumed", so burned-within never exceeds consumed). Timeslices: bad minutes in the window ÷ the
 * period's budget of bad minutes. Occurrences read only the period start, the window start and the end (SampledSums
 * at those instants are enough); timeslices need every minute (PrefixSums).
 */
export function budgetBurnedWithin(
  model: { objective: number; window: SloWindow; method: BudgetingMethod },
  prefix: CountSums,
  nowMs: number,
  windowMs: number,
): number {
  const period = periodAt(model.window, nowMs);
  const end = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const from = Math.max(period.startMs, end - windowMs);
  if (model.method === "timeslices") {
    if (isSampled(prefix)) throw new Error("timeslices budgeting needs every minute of the window");
    const periodMinutes = Math.round(periodLengthMs(model.window, nowMs) / MINUTE_MS);
    const minutes = [];
    for (let t = Math.floor(from / MINUTE_MS) * MINUTE_MS; t < end; t += MINUTE_MS)
      minutes.push(windowCounts(prefix, t, t + MINUTE_MS));
    return 1 - timeslicesRemaining(minutes, model.objective, periodMinutes);
  }
  const whole = windowCounts(prefix, period.startMs, end);
  const allowed = errorBudget(model.objective) * whole.total;
  if (allowed === 0) return 0;
  const w = windowCounts(prefix, from, end);
  return (w.total - w.good) / allowed;
}
