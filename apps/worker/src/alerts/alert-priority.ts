import {
  HOUR_MS,
  budgetExhausted,
  PRIORITY_BY_BURN,
  budgetSpentInWindow,
  buildPrefixSums,
  burnRate,
  computeStatus,
  minuteEnd,
  priorityFromBurn,
  priorityFromRemaining,
  windowCounts,
  type MinuteSeries,
  type Priority,
  type SloModel,
} from "@burnrate/slo-core";

/**
 * The priority of an alert whose SLO has none, from the SLO × region's minutes (book Tbl 9.6 from how fast
 * the budget burns, else Tbl 9.5 from how little is left when the trend runs out before the period ends).
 * Null when no rule applies.
 */
export function alertPriority(model: SloModel, series: MinuteSeries, nowMs: number): Priority | null {
  const p = buildPrefixSums(series);
  const status = computeStatus(model, series, nowMs, p);
  const periodMs = status.period.endMs - status.period.startMs;
  const toMs = minuteEnd(nowMs);
  const rank = (x: Priority) => Number(x.slice(1));
  let best: Priority | null = null;
  for (const rule of PRIORITY_BY_BURN) {
    const spent = budgetSpentInWindow(
      burnRate(windowCounts(p, toMs - rule.withinMs, toMs), model.objective),
      rule.withinMs,
      periodMs,
    );
    const got = spent === null ? null : priorityFromBurn(spent, rule.withinMs);
    if (got && (!best || rank(got) < rank(best))) best = got;
  }
  if (best) return best;
  const leftMs = status.period.endMs - nowMs;
  const early =
    budgetExhausted(status.remaining) ||
    (status.timeToExhaustionHours !== null && status.timeToExhaustionHours * HOUR_MS < leftMs);
  return priorityFromRemaining(status.remaining, early);
}
