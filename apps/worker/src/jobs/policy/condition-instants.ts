import type { PolicyConditionSpec } from "@burnrate/contracts";
import { HOUR_MS, evaluationInstants, minuteEnd, type SloModel, type TimeSpan } from "@burnrate/slo-core";

/**
 * The instants whose running totals a policy's conditions read for one SLO at `nowMs`: the status instants,
 * and the start of each "burned within H hours" (never before the period's start). Each instant once.
 */
export function conditionInstants(
  model: SloModel,
  period: TimeSpan,
  conditions: PolicyConditionSpec[],
  nowMs: number,
): number[] {
  const instants = [
    ...evaluationInstants(model, nowMs),
    ...conditions.flatMap((c) =>
      c.type === "burned_within" ? [Math.max(period.startMs, minuteEnd(nowMs) - c.hours * HOUR_MS)] : [],
    ),
  ];
  return [...new Set(instants)];
}
