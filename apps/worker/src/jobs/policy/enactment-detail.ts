import type { PolicyConditionSpec } from "@burnrate/contracts";
import { evaluateCondition, type TimeSpan } from "@burnrate/slo-core";

/** What an enactment records about the SLO × region when its condition became true. */
export type EnactmentDetail = {
  remaining: number;
  consumedPercent: number;
  burnedPercent: number | null;
  period: { start: string; end: string };
};

/** The enactment's detail: budget left and consumed, the burn the condition measured, the period. */
export function enactmentDetail(
  c: PolicyConditionSpec,
  a: { remaining: number; value: number; period: TimeSpan },
): EnactmentDetail {
  return {
    remaining: a.remaining,
    consumedPercent: evaluateCondition({ type: "consumed", percent: 100 }, { remaining: a.remaining }).value,
    burnedPercent: c.type === "burned_within" ? a.value : null,
    period: {
      start: new Date(a.period.startMs).toISOString(),
      end: new Date(a.period.endMs).toISOString(),
    },
  };
}
