import { CreateSlaBody, PatchSlaBody, type SlaResponse } from "@burnrate/contracts";
import { errorsFromIssues, type FieldErrors, type FieldLabels } from "../forms/plain-errors";

/** What the SLA form holds: text as typed, rows for tiers and endpoint-level SLAs. */
export interface SlaForm {
  name: string;
  description: string;
  services: string[];
  sliType: "availability" | "latency";
  thresholdMs: string;
  objectivePercent: string;
  period: "month" | "quarter" | "4w";
  timeZone: string;
  customers: string;
  credits: string;
  thresholds: string;
  /** Ids of the stakeholder groups told instead of the owning teams; none: the teams */
  stakeholderGroups: string[];
  tiers: { name: string; objectivePercent: string }[];
  children: {
    service: string;
    endpoint: string;
    name: string;
    objectivePercent: string;
    /** "" = the SLA's own SLI */
    sliType: "" | "availability" | "latency";
    thresholdMs: string;
  }[];
}

export const SLA_LABELS: FieldLabels = {
  name: "Name",
  description: "Description",
  services: "Services",
  "sli.thresholdMs": "Latency threshold (ms)",
  objectivePercent: "Objective (%)",
  "window.period": "Period",
  "window.timeZone": "Time zone",
  customers: "Customers",
  credits: "Credits or penalties",
  thresholds: "Notify at (% of the period budget)",
  "thresholds.*": "Notify at (% of the period budget)",
  "notify.stakeholderGroups": "Stakeholder groups",
  "notify.stakeholderGroups.*": "Stakeholder groups",
  tiers: "Tiers",
  "tiers.*.name": "Tier name",
  "tiers.*.objectivePercent": "Tier objective (%)",
  children: "Endpoint SLAs",
  "children.*.service": "Service",
  "children.*.endpoint": "Endpoint",
  "children.*.name": "Name",
  "children.*.objectivePercent": "Endpoint objective (%)",
  "children.*.sli.thresholdMs": "Latency threshold (ms)",
};

/** A new SLA: availability over calendar months, notified at 50, 80 and 100% of the budget (the API's defaults). */
export const EMPTY_SLA_FORM: SlaForm = {
  name: "",
  description: "",
  services: [],
  sliType: "availability",
  thresholdMs: "",
  objectivePercent: "",
  period: "month",
  timeZone: "",
  customers: "",
  credits: "",
  thresholds: "50, 80, 100",
  stakeholderGroups: [],
  tiers: [],
  children: [],
};

export const emptyTier = (): SlaForm["tiers"][number] => ({ name: "", objectivePercent: "" });
export const emptyChild = (service = ""): SlaForm["children"][number] => ({
  service,
  endpoint: "",
  name: "",
  objectivePercent: "",
  sliType: "",
  thresholdMs: "",
});

/** An SLA as the form shows it, for editing. */
export function formFromSla(s: SlaResponse): SlaForm {
  return {
    name: s.name,
    description: s.description ?? "",
    services: s.services.map((x) => x.slug),
    sliType: s.sli.type,
    thresholdMs: s.sli.type === "latency" ? String(s.sli.thresholdMs) : "",
    objectivePercent: String(s.objectivePercent),
    period: s.window.period,
    timeZone: s.window.timeZone ?? "",
    customers: s.customers ?? "",
    credits: s.credits ?? "",
    thresholds: s.thresholds.join(", "),
    stakeholderGroups: s.notify.stakeholderGroups,
    tiers: s.tiers.map((t) => ({ name: t.name, objectivePercent: String(t.objectivePercent) })),
    children: s.children.map((c) => ({
      service: c.service,
      endpoint: c.endpoint,
      name: c.name ?? "",
      objectivePercent: String(c.objectivePercent),
      sliType: c.sli.type === s.sli.type && sameSli(c.sli, s.sli) ? "" : c.sli.type,
      thresholdMs: c.sli.type === "latency" ? String(c.sli.thresholdMs) : "",
    })),
  };
}

const sameSli = (a: SlaResponse["sli"], b: SlaResponse["sli"]) =>
  a.type === b.type && (a.type !== "latency" || (b.type === "latency" && a.thresholdMs === b.thresholdMs));

/** A typed number as the API reads it: "" stays missing (the contract says "required"), text stays text. */
const num = (s: string): number | string | undefined => {
  const t = s.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
};

const sliOf = (type: "availability" | "latency", thresholdMs: string) =>
  type === "latency" ? { type, thresholdMs: num(thresholdMs) } : { type };

/** The request body of the form (create and patch send the same fields; an edit clears what was emptied). */
export function slaBody(f: SlaForm, editing: boolean): Record<string, unknown> {
  const text = (s: string) => (s.trim() === "" ? (editing ? null : undefined) : s.trim());
  return {
    name: f.name.trim(),
    description: text(f.description),
    services: f.services,
    sli: sliOf(f.sliType, f.thresholdMs),
    objectivePercent: num(f.objectivePercent),
    window: {
      type: "calendar",
      period: f.period,
      ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
    },
    tiers: f.tiers.map((t) => ({ name: t.name.trim(), objectivePercent: num(t.objectivePercent) })),
    customers: text(f.customers),
    credits: text(f.credits),
    children: f.children.map((c) => ({
      service: c.service,
      endpoint: c.endpoint.trim(),
      ...(c.name.trim() ? { name: c.name.trim() } : {}),
      objectivePercent: num(c.objectivePercent),
      ...(c.sliType ? { sli: sliOf(c.sliType, c.thresholdMs) } : {}),
    })),
    thresholds: f.thresholds
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((t) => num(t)),
    notify: { stakeholderGroups: f.stakeholderGroups },
  };
}

/** The form checked with the API's own contract: the body to send, or the errors at their fields. */
export function validateSla(
  f: SlaForm,
  editing: boolean,
): { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const body = slaBody(f, editing);
  const checked = (editing ? PatchSlaBody : CreateSlaBody).safeParse(body);
  if (!checked.success)
    return { ok: false, errors: oneThresholdsField(errorsFromIssues(checked.error.issues, SLA_LABELS)) };
  const errors: FieldErrors = {};
  // the API also refuses these; said here at the field before anything is sent
  f.children.forEach((c, i) => {
    if (!f.services.includes(c.service))
      errors[`children.${i}.service`] = "Service must be one of the SLA's services";
  });
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** The thresholds are typed in one field: an error of one of them is that field's, naming which one. */
function oneThresholdsField(errors: FieldErrors): FieldErrors {
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const m = /^thresholds\.(\d+)$/.exec(k);
    if (!m) out[k] = v;
    else out.thresholds ??= `${v} (the ${ordinal(Number(m[1]) + 1)} one)`;
  }
  return out;
}
const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;
