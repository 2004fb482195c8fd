import {
  parseEndpoint,
  CreateSloBody,
  PatchSloBody,
  PreviewBody,
  type AlertingSpec,
  type SloResponse,
} from "@burnrate/contracts";
import type { z } from "zod";
import type { CreateSloInput, PatchSloInput } from "../../api";
import { errorsFromIssues, type FieldErrors } from "../forms/plain-errors";
import { alertingBody, rowsOf, type TierRow } from "./tiers-model";

export type { FieldErrors };

/** The editor's fields as typed (strings until validated). */
export interface SloForm {
  service: string;
  name: string;
  description: string;
  journeyStep: string;
  customerSegment: string;
  runbookUrl: string;
  endpoint: string;
  sliType: "availability" | "latency" | "ratio" | "prometheus";
  /** A Prometheus-sourced SLO's SLI, kept as it is (its queries are set through the API or an import). */
  promSli: unknown;
  thresholdMs: string;
  good: string;
  total: string;
  objectivePercent: string;
  windowType: "rolling" | "calendar";
  days: string;
  period: "4w" | "month" | "quarter";
  timeZone: string;
  budgetingMethod: "occurrences" | "timeslices";
  priority: string;
  tiersMode: "default" | "custom";
  disabledTiers: string[];
  tiers: TierRow[];
  /** the Slack channel of pages and of tickets (empty: the team's channel) */
  slackPage: string;
  slackTicket: string;
  /** the saved SLO's other alerting settings (low-traffic guard, no-data minutes), kept as they are */
  alertingRest: Omit<AlertingSpec, "tiers" | "disabledTiers">;
  /** the saved SLO has alerting settings: an edit back to the defaults sends them cleared */
  hadAlerting: boolean;
  reason: string;
}

export const EMPTY_FORM: SloForm = {
  service: "",
  name: "",
  description: "",
  journeyStep: "",
  customerSegment: "",
  runbookUrl: "",
  endpoint: "",
  sliType: "availability",
  promSli: null,
  thresholdMs: "300",
  good: "status < 500",
  total: 'route != "/healthz"',
  objectivePercent: "99.9",
  windowType: "rolling",
  days: "28",
  period: "month",
  timeZone: "",
  budgetingMethod: "occurrences",
  priority: "",
  tiersMode: "default",
  disabledTiers: [],
  tiers: rowsOf(null),
  slackPage: "",
  slackTicket: "",
  alertingRest: {},
  hadAlerting: false,
  reason: "",
};

export function formFromSlo(s: SloResponse): SloForm {
  const { tiers, disabledTiers, slackChannels, ...rest } = s.alerting ?? {};
  return {
    ...EMPTY_FORM,
    service: s.service,
    name: s.name,
    description: s.description ?? "",
    journeyStep: s.journeyStep ?? "",
    customerSegment: s.customerSegment ?? "",
    runbookUrl: s.runbookUrl ?? "",
    endpoint: s.endpoint ?? "",
    sliType: s.sli.type,
    promSli: s.sli.type === "prometheus" ? s.sli : null,
    thresholdMs: s.sli.type === "latency" ? String(s.sli.thresholdMs) : EMPTY_FORM.thresholdMs,
    good: s.sli.type === "ratio" ? s.sli.good : EMPTY_FORM.good,
    total: s.sli.type === "ratio" ? s.sli.total : EMPTY_FORM.total,
    objectivePercent: String(s.objectivePercent),
    windowType: s.window.type,
    days: s.window.type === "rolling" ? String(s.window.days) : "28",
    period: s.window.type === "calendar" ? s.window.period : "month",
    timeZone: s.window.type === "calendar" ? (s.window.timeZone ?? "") : "",
    budgetingMethod: s.budgetingMethod,
    priority: s.priority ?? "",
    tiersMode: tiers ? "custom" : "default",
    disabledTiers: disabledTiers ?? [],
    tiers: rowsOf(s.alerting),
    slackPage: slackChannels?.page ?? "",
    slackTicket: slackChannels?.ticket ?? "",
    alertingRest: rest,
    hadAlerting: s.alerting !== null,
  };
}

/** A typed number, or the raw text when it is not one (so the contract names the field and says what is wrong). */
const num = (s: string): number | string => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s);
const opt = (k: string, v: string) => (v.trim() ? { [k]: v.trim() } : {});

function sliBody(f: SloForm) {
  if (f.sliType === "latency") return { type: "latency", thresholdMs: num(f.thresholdMs) };
  if (f.sliType === "ratio") return { type: "ratio", good: f.good.trim(), total: f.total.trim() };
  if (f.sliType === "prometheus") return f.promSli;
  return { type: "availability" };
}

/** The JSON body the form stands for (before validation); `edit` sends every field, so a cleared one clears. */
export function toBody(f: SloForm, mode: "create" | "edit" = "create"): Record<string, unknown> {
  const slackChannels = { ...opt("page", f.slackPage), ...opt("ticket", f.slackTicket) };
  const alerting = alertingBody(f.tiersMode, f.disabledTiers, f.tiers, {
    ...f.alertingRest,
    ...(Object.keys(slackChannels).length > 0 ? { slackChannels } : {}),
  });
  return {
    service: f.service,
    name: f.name.trim(),
    ...opt("description", f.description),
    ...opt("journeyStep", f.journeyStep),
    ...opt("customerSegment", f.customerSegment),
    ...opt("runbookUrl", f.runbookUrl),
    ...opt("endpoint", f.endpoint),
    sli: sliBody(f),
    objectivePercent: num(f.objectivePercent),
    window:
      f.windowType === "rolling"
        ? { type: "rolling", days: num(f.days) }
        : { type: "calendar", period: f.period, ...opt("timeZone", f.timeZone) },
    budgetingMethod: f.budgetingMethod,
    ...(f.priority ? { priority: f.priority } : mode === "edit" ? { priority: null } : {}),
    ...(Object.keys(alerting).length > 0 || (mode === "edit" && f.hadAlerting) ? { alerting } : {}),
  };
}

/** The error paths each field of the form stands for: changing the field clears them. */
export const ERROR_PATHS: Partial<Record<keyof SloForm, string[]>> = {
  sliType: ["sli"],
  thresholdMs: ["sli.thresholdMs"],
  good: ["sli.good"],
  total: ["sli.total"],
  windowType: ["window"],
  days: ["window.days"],
  period: ["window.period"],
  timeZone: ["window.timeZone"],
  tiersMode: ["alerting"],
  disabledTiers: ["alerting"],
  tiers: ["alerting"],
  slackPage: ["alerting.slackChannels.page"],
  slackTicket: ["alerting.slackChannels.ticket"],
};

/** `errors` without those of field `k` (and of whatever is under them). */
export function clearErrors(errors: FieldErrors, k: keyof SloForm): FieldErrors {
  const paths = ERROR_PATHS[k] ?? [k];
  return Object.fromEntries(
    Object.entries(errors).filter(([e]) => !paths.some((p) => e === p || e.startsWith(`${p}.`))),
  );
}

/** The words of the editor's fields, as its labels say them. */
export const SLO_LABELS = {
  service: "Service",
  name: "Name",
  description: "Description",
  journeyStep: "Journey step",
  customerSegment: "Customer segment",
  runbookUrl: "Runbook",
  endpoint: "Endpoint",
  sli: "SLI",
  "sli.thresholdMs": "Threshold (ms)",
  "sli.good": "Good requests",
  "sli.total": "Valid requests",
  objectivePercent: "Objective (%)",
  window: "Window",
  "window.days": "Days",
  "window.timeZone": "Time zone",
  budgetingMethod: "Budgeting",
  priority: "Priority",
  "alerting.tiers": "Alert tiers",
  "alerting.slackChannels.page": "Slack channel for pages",
  "alerting.slackChannels.ticket": "Slack channel for tickets",
  "alerting.tiers.*.name": "Tier name",
  "alerting.tiers.*.longWindowMinutes": "Long window (min)",
  "alerting.tiers.*.shortWindowMinutes": "Short window (min)",
  "alerting.tiers.*.budgetPercent": "Budget (%)",
  "alerting.tiers.*.factor": "Factor",
  reason: "Reason",
};

/** The editor's own checks beyond the contract's: an endpoint the API would not read. */
function ownErrors(f: SloForm): FieldErrors {
  return f.endpoint.trim() && !parseEndpoint(f.endpoint)
    ? {
        endpoint:
          "Endpoint must be a method and a route, such as 'GET /cart', or empty for the whole service",
      }
    : {};
}

/** Validates with the API's own schemas: create body, or patch body (with the required reason) on edit. */
export function validate(
  f: SloForm,
  mode: "create" | "edit",
): { ok: true; body: CreateSloInput | PatchSloInput } | { ok: false; errors: FieldErrors } {
  const own = ownErrors(f);
  const v = validateBody(f, mode);
  if (Object.keys(own).length === 0) return v;
  return { ok: false, errors: { ...(v.ok ? {} : v.errors), ...own } };
}

function validateBody(
  f: SloForm,
  mode: "create" | "edit",
): { ok: true; body: CreateSloInput | PatchSloInput } | { ok: false; errors: FieldErrors } {
  // A body the schema accepted is that schema's input: it is sent as typed (the API applies the defaults).
  const body = toBody(f, mode);
  if (mode === "create") {
    const r = CreateSloBody.safeParse(body);
    return r.success
      ? { ok: true, body: body as CreateSloInput }
      : { ok: false, errors: errorsFromIssues(r.error.issues, SLO_LABELS) };
  }
  const { service: _s, ...rest } = body;
  const patch = { ...rest, reason: f.reason };
  const r = PatchSloBody.safeParse(patch);
  return r.success
    ? { ok: true, body: patch as PatchSloInput }
    : { ok: false, errors: errorsFromIssues(r.error.issues, SLO_LABELS) };
}

/** The preview request, when the fields it depends on are valid (null otherwise). */
export function previewBody(f: SloForm): z.input<typeof PreviewBody> | null {
  if (Object.keys(ownErrors(f)).length > 0) return null;
  const b = toBody(f);
  const body = {
    service: b.service,
    ...(b.endpoint ? { endpoint: b.endpoint } : {}),
    sli: b.sli,
    objectivePercent: b.objectivePercent,
    window: b.window,
    budgetingMethod: b.budgetingMethod,
    ...(b.alerting ? { alerting: b.alerting } : {}),
  };
  return PreviewBody.safeParse(body).success ? (body as z.input<typeof PreviewBody>) : null;
}
