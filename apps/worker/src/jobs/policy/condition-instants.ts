import type { PolicyConditionSpec } from "@burnrate/contracts";
import {
  conditionInstants as instantsOf,
  evaluationInstants,
  type SloModel,
  type TimeSpan,
} from "@burnrate/slo-core";

/** The instants whose running totals a policy's conditions read for one SLO at `nowMs` (slo-core's rule). */
export function conditionInstants(
  model: SloModel,
  period: TimeSpan,
  conditions: PolicyConditionSpec[],
  nowMs: number,
): number[] {
  return instantsOf(evaluationInstants(model, nowMs), period.startMs, conditions, nowMs);
}
