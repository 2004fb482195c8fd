import { trimPercent, type PolicyConditionSpec } from "@burnrate/contracts";
import type { EnactmentDetail } from "./enactment-detail";

/** The Slack text announcing that a condition of the policy is enacted for an SLO × region. */
export function describeEnactment(
  c: PolicyConditionSpec,
  slo: string,
  service: string,
  region: string,
  d: Pick<EnactmentDetail, "remaining" | "consumedPercent" | "burnedPercent">,
): string {
  const pct = (x: number) => `${trimPercent(Math.round(x * 10) / 10)}%`;
  const what =
    c.type === "exhausted"
      ? `its error budget is exhausted (${pct(d.remaining * 100)} left)`
      : c.type === "consumed"
        ? `${pct(d.consumedPercent)} of the period's error budget is consumed (policy: ≥ ${c.percent}%)`
        : c.type === "burned_within"
          ? `${pct(d.burnedPercent ?? 0)} of the budget burned within ${c.hours} h (policy: ≥ ${c.percent}%)`
          : "";
  return `Error budget policy: SLO '${slo}' (${service}, ${region}): ${what}. Condition '${c.id}' is now enacted.`;
}
