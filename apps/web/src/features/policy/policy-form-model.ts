import { PolicyDryRunBody, PutPolicyBody, type PolicyResponse } from "@burnrate/contracts";
import type { PolicyDryRunInput, PutPolicyInput } from "../../api";
import { errorsFromIssues, type FieldErrors } from "../forms/plain-errors";

export const CONDITION_TYPES = [
  ["consumed", "budget consumed"],
  ["burned_within", "budget burned within"],
  ["exhausted", "budget exhausted"],
  ["manual", "declared by people"],
] as const;
export const CONSEQUENCE_TYPES = [
  ["release_freeze", "freeze releases"],
  ["notify", "notify in Slack"],
  ["work_item", "open a work item"],
  ["manual", "people act"],
] as const;
type ConditionType = (typeof CONDITION_TYPES)[number][0];
type ConsequenceType = (typeof CONSEQUENCE_TYPES)[number][0];

/** One consequence as typed: every type's fields are kept, the body takes those of its type. */
export interface ConsequenceRow {
  type: ConsequenceType;
  /** comma-separated region slugs; empty: every region */
  regions: string;
  channel: string;
  text: string;
  webhookUrl: string;
}
export interface ConditionRow {
  id: string;
  type: ConditionType;
  percent: string;
  hours: string;
  text: string;
  consequences: ConsequenceRow[];
}
export interface PolicyForm {
  scope: string;
  purpose: string;
  escalation: string;
  nextReviewAt: string;
  silverBulletsPerYear: string;
  reason: string;
  conditions: ConditionRow[];
}

export const emptyConsequence = (type: ConsequenceType = "notify"): ConsequenceRow => ({
  type,
  regions: "",
  channel: "",
  text: "",
  webhookUrl: "",
});
export const emptyCondition = (taken: string[]): ConditionRow => ({
  id: freeId("consumed-50", taken),
  type: "consumed",
  percent: "50",
  hours: "24",
  text: "",
  consequences: [emptyConsequence()],
});

/** `base`, or `base-2`, `base-3`… the first one no other condition has. */
export function freeId(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) if (!taken.includes(`${base}-${i}`)) return `${base}-${i}`;
}

type Editable = {
  scope: string;
  purpose: string;
  escalation: string;
  nextReviewAt?: string | null;
  silverBulletsPerYear?: number;
  conditions: readonly {
    id: string;
    type: string;
    percent?: number;
    hours?: number;
    text?: string;
    consequences?: readonly Record<string, unknown>[];
  }[];
};

/** The form of a saved policy, or of the book's template for a team that has none. */
export function formFromPolicy(p: PolicyResponse | Editable): PolicyForm {
  const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  return {
    scope: p.scope,
    purpose: p.purpose,
    escalation: p.escalation,
    nextReviewAt: str(p.nextReviewAt).slice(0, 10),
    silverBulletsPerYear: str(p.silverBulletsPerYear ?? 3),
    reason: "",
    conditions: p.conditions.map((c) => ({
      id: c.id,
      type: c.type as ConditionType,
      percent: str("percent" in c ? c.percent : "50"),
      hours: str("hours" in c ? c.hours : "24"),
      text: str("text" in c ? c.text : ""),
      consequences: (c.consequences ?? []).map((consequence) => {
        const q = consequence as Record<string, unknown>;
        return {
          type: q.type as ConsequenceType,
          regions: Array.isArray(q.regions) ? q.regions.join(", ") : "",
          channel: str(q.channel),
          text: str(q.text),
          webhookUrl: str(q.webhookUrl),
        };
      }),
    })),
  };
}

/** A typed number, or the raw text when it is not one (so the contract names the field). */
const num = (s: string): number | string => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s);

function consequenceBody(q: ConsequenceRow): Record<string, unknown> {
  switch (q.type) {
    case "release_freeze":
      return { type: q.type, regions: q.regions.split(/[,\s]+/).filter(Boolean) };
    case "notify":
      return { type: q.type, ...(q.channel.trim() ? { channel: q.channel.trim() } : {}) };
    case "work_item":
      return {
        type: q.type,
        text: q.text.trim(),
        ...(q.webhookUrl.trim() ? { webhookUrl: q.webhookUrl.trim() } : {}),
      };
    case "manual":
      return { type: q.type, text: q.text.trim() };
  }
}

export function conditionsBody(f: PolicyForm): Record<string, unknown>[] {
  return f.conditions.map((c) => {
    const base = { id: c.id.trim(), type: c.type, consequences: c.consequences.map(consequenceBody) };
    switch (c.type) {
      case "consumed":
        return { ...base, percent: num(c.percent) };
      case "burned_within":
        return { ...base, percent: num(c.percent), hours: num(c.hours) };
      case "manual":
        return { ...base, text: c.text.trim() };
      case "exhausted":
        return base;
    }
  });
}

/** The words of the policy form's fields (rows by pattern). */
export const POLICY_LABELS = {
  scope: "Scope",
  purpose: "Purpose",
  escalation: "Escalation",
  nextReviewAt: "Next review",
  silverBulletsPerYear: "Silver bullets per year",
  reason: "Reason",
  conditions: "Conditions",
  "conditions.*.id": "Condition name",
  "conditions.*.percent": "Percent",
  "conditions.*.hours": "Hours",
  "conditions.*.text": "What people watch for",
  "conditions.*.consequences.*.regions.*": "Region",
  "conditions.*.consequences.*.channel": "Slack channel",
  "conditions.*.consequences.*.text": "What to do",
  "conditions.*.consequences.*.webhookUrl": "Webhook",
};

/** The body to save (signatures are the current ones: the API keeps them only when the text is unchanged). */
export function validatePolicy(
  f: PolicyForm,
  agreedBy: PolicyResponse["agreedBy"],
): { ok: true; body: PutPolicyInput } | { ok: false; errors: FieldErrors } {
  const body = {
    scope: f.scope.trim(),
    purpose: f.purpose.trim(),
    escalation: f.escalation.trim(),
    conditions: conditionsBody(f),
    agreedBy,
    ...(f.nextReviewAt ? { nextReviewAt: f.nextReviewAt } : {}),
    silverBulletsPerYear: num(f.silverBulletsPerYear),
    reason: f.reason,
  };
  const r = PutPolicyBody.safeParse(body);
  return r.success
    ? { ok: true, body: body as PutPolicyInput }
    : { ok: false, errors: errorsFromIssues(r.error.issues, POLICY_LABELS) };
}

/** The conditions to try against the SLOs now, when they are valid (null otherwise). */
export function dryRunBody(f: PolicyForm): PolicyDryRunInput | null {
  const body = { conditions: conditionsBody(f) };
  return PolicyDryRunBody.safeParse(body).success ? (body as PolicyDryRunInput) : null;
}
