import type { POLICY_ROLES, PolicyResponse } from "@burnrate/contracts";

export type PolicyRole = (typeof POLICY_ROLES)[number];
export type Condition = PolicyResponse["conditions"][number];
export type Consequence = Condition["consequences"][number];

export const ROLE_LABEL: Record<PolicyRole, string> = {
  developer: "Developers",
  operations: "Operations",
  product_owner: "Product owner",
};

/** When a condition is true, in words. */
export function describeCondition(c: Condition): string {
  switch (c.type) {
    case "exhausted":
      return "the error budget is exhausted";
    case "consumed":
      return `≥ ${c.percent}% of the period's budget is consumed`;
    case "burned_within":
      return `≥ ${c.percent}% of the budget burned within ${c.hours} h`;
    case "manual":
      return `by decision: ${c.text}`;
  }
}

/** What a consequence does, in words. */
export function describeConsequence(q: Consequence): string {
  switch (q.type) {
    case "release_freeze":
      return `release freeze in ${q.regions.length ? q.regions.join(", ") : "every region"}`;
    case "notify":
      return `notify ${q.channel ?? "the team's channel"}`;
    case "work_item":
      return `work item: ${q.text}${q.webhookUrl ? " (sent to the webhook)" : ""}`;
    case "manual":
      return q.text;
  }
}

/** The numbers an automatic enactment recorded when it opened ("72.0% consumed, …"). */
export function describeEnactmentDetail(detail: unknown): string {
  const d = (detail ?? {}) as { consumedPercent?: number; burnedPercent?: number | null };
  const parts = [];
  if (typeof d.consumedPercent === "number") parts.push(`${d.consumedPercent.toFixed(1)}% consumed`);
  if (typeof d.burnedPercent === "number") parts.push(`${d.burnedPercent.toFixed(1)}% burned in the window`);
  return parts.join(", ");
}

/** The fields of a policy that a PUT sends back. */
export function editable(p: PolicyResponse) {
  return {
    scope: p.scope,
    purpose: p.purpose,
    conditions: p.conditions,
    escalation: p.escalation,
    agreedBy: p.agreedBy,
    silverBulletsPerYear: p.silverBulletsPerYear,
    ...(p.nextReviewAt ? { nextReviewAt: p.nextReviewAt } : {}),
  };
}
