import { CreateSloBody, PatchSloBody, PreviewBody, type SloResponse } from "@burnrate/contracts";
import type { z } from "zod";
import type { CreateSloInput, PatchSloInput } from "../../api";

/** The editor's fields as typed (strings until validated). */
export interface SloForm {
  service: string;
  name: string;
  endpoint: string;
  sliType: "availability" | "latency";
  thresholdMs: string;
  objectivePercent: string;
  windowType: "rolling" | "calendar";
  days: string;
  period: "4w" | "month" | "quarter";
  timeZone: string;
  budgetingMethod: "occurrences" | "timeslices";
  priority: string;
  reason: string;
}

export const EMPTY_FORM: SloForm = {
  service: "",
  name: "",
  endpoint: "",
  sliType: "availability",
  thresholdMs: "300",
  objectivePercent: "99.9",
  windowType: "rolling",
  days: "28",
  period: "month",
  timeZone: "",
  budgetingMethod: "occurrences",
  priority: "",
  reason: "",
};

export function formFromSlo(s: SloResponse): SloForm {
  return {
    ...EMPTY_FORM,
    service: s.service,
    name: s.name,
    endpoint: s.endpoint ?? "",
    sliType: s.sli.type === "latency" ? "latency" : "availability",
    thresholdMs: s.sli.type === "latency" ? String(s.sli.thresholdMs) : "300",
    objectivePercent: String(s.objectivePercent),
    windowType: s.window.type,
    days: s.window.type === "rolling" ? String(s.window.days) : "28",
    period: s.window.type === "calendar" ? s.window.period : "month",
    timeZone: s.window.type === "calendar" ? (s.window.timeZone ?? "") : "",
    budgetingMethod: s.budgetingMethod,
    priority: s.priority ?? "",
  };
}

/** A typed number, or the raw text when it is not one (so zod names the field and says what is wrong). */
const num = (s: string): number | string => (s.trim() !== "" && Number.isFinite(Number(s)) ? Number(s) : s);

/** The JSON body the form stands for (before validation). */
export function toBody(f: SloForm): Record<string, unknown> {
  return {
    service: f.service,
    name: f.name.trim(),
    ...(f.endpoint.trim() ? { endpoint: f.endpoint.trim() } : {}),
    sli:
      f.sliType === "latency"
        ? { type: "latency", thresholdMs: num(f.thresholdMs) }
        : { type: "availability" },
    objectivePercent: num(f.objectivePercent),
    window:
      f.windowType === "rolling"
        ? { type: "rolling", days: num(f.days) }
        : {
            type: "calendar",
            period: f.period,
            ...(f.timeZone.trim() ? { timeZone: f.timeZone.trim() } : {}),
          },
    budgetingMethod: f.budgetingMethod,
    ...(f.priority ? { priority: f.priority } : {}),
  };
}

/** Clearer words for the generic messages, per field. */
const FRIENDLY: Record<string, string> = {
  service: "pick the service the SLO is about",
  name: "give the SLO a name (e.g. 'Checkout availability')",
  "sli.thresholdMs": "the latency threshold must be a whole number of milliseconds between 1 and 600000",
  "window.days": "the rolling window must be a whole number of days between 1 and 90",
  reason: "say why the SLO changes (at least 3 characters): it is kept in the version history",
};

export type FieldErrors = Record<string, string>;

function collect(issues: z.core.$ZodIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const field = i.path.join(".") || "form";
    if (out[field]) continue;
    const custom = /must|required|leaves|IANA/.test(i.message);
    out[field] = custom ? i.message : (FRIENDLY[field] ?? i.message);
  }
  return out;
}

/** Validates with the API's own schemas: create body, or patch body (with the required reason) on edit. */
export function validate(
  f: SloForm,
  mode: "create" | "edit",
): { ok: true; body: CreateSloInput | PatchSloInput } | { ok: false; errors: FieldErrors } {
  // A body the schema accepted is that schema's input: it is sent as typed (the API applies the defaults).
  const body = toBody(f);
  if (mode === "create") {
    const r = CreateSloBody.safeParse(body);
    return r.success
      ? { ok: true, body: body as CreateSloInput }
      : { ok: false, errors: collect(r.error.issues) };
  }
  const { service: _s, ...rest } = body;
  const patch = { ...rest, reason: f.reason };
  const r = PatchSloBody.safeParse(patch);
  return r.success
    ? { ok: true, body: patch as PatchSloInput }
    : { ok: false, errors: collect(r.error.issues) };
}

/** The preview request, when the fields it depends on are valid (null otherwise). */
export function previewBody(f: SloForm): z.input<typeof PreviewBody> | null {
  const { name: _n, priority: _p, ...body } = toBody(f);
  return PreviewBody.safeParse(body).success ? (body as z.input<typeof PreviewBody>) : null;
}
