/**
 * Sloth (`prometheus/v1`) and Pyrra (`pyrra.dev/v1alpha1` ServiceLevelObjective) specs → Prometheus-sourced
 * Burnrate SLOs. What Burnrate cannot do as written is refused with the document and the field.
 *
 * - Sloth: `service` is the Burnrate service (slug); each `slos[]` entry is an SLO named by `name`, with
 *   `objective`, `description`, and `sli.events.error_query` / `total_query` (rate expressions with
 *   `{{.window}}`). The period is Sloth's default, 30 days rolling; the alert tiers are Burnrate's workbook tiers,
 *   the same multiwindow pairs Sloth generates (page 1 h/5 m and 6 h/30 m, ticket 1 d/2 h and 3 d/6 h).
 *   `page_alert.disable` / `ticket_alert.disable` turn off those tiers. `sli.raw` and `sli.plugin` are refused.
 * - Pyrra: the service is `metadata.namespace` (default `default`), the SLO `metadata.name`; `spec.target`,
 *   `spec.window` (whole days), `spec.description`, and `spec.indicator.ratio` (errors/total metrics) or
 *   `spec.indicator.latency` (success/total metrics). `grouping`, `bool_gauge` and `latencyNative` are refused.
 */
import { parseAllDocuments } from "yaml";

export interface ImportedSlo {
  document: number;
  service: string;
  name: string;
  description: string | null;
  objectivePercent: number;
  windowDays: number;
  good?: string;
  bad?: string;
  total: string;
  disabledTiers: string[];
}

export interface ImportIssue {
  document: number;
  field: string;
  message: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === "object" && x !== null && !Array.isArray(x);
const SLUG = /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const PAGE_TIERS = ["fast-page", "slow-page"];
const TICKET_TIERS = ["fast-ticket", "slow-ticket"];

function readDocuments(text: string, issues: ImportIssue[]): Obj[] {
  const docs = parseAllDocuments(text);
  const out: Obj[] = [];
  (Array.isArray(docs) ? docs : [docs]).forEach((d, i) => {
    if (d.errors.length) {
      issues.push({ document: i, field: "(yaml)", message: d.errors[0]!.message.split("\n")[0]! });
      return;
    }
    // an alias bomb is refused rather than expanded
    let v: unknown;
    try {
      v = d.toJS({ maxAliasCount: 50 });
    } catch (e) {
      issues.push({ document: i, field: "(yaml)", message: (e as Error).message.split("\n")[0]! });
      return;
    }
    if (v === null || v === undefined) return;
    if (!isObj(v)) issues.push({ document: i, field: "(document)", message: "must be a mapping" });
    else out.push(v);
  });
  if (out.length === 0 && issues.length === 0)
    issues.push({ document: 0, field: "(document)", message: "the file holds no document" });
  return out;
}

function objective(v: unknown, doc: number, field: string, issues: ImportIssue[]): number | null {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0 || n >= 100) {
    issues.push({
      document: doc,
      field,
      message: `must be a percentage above 0 and below 100 (got ${JSON.stringify(v)})`,
    });
    return null;
  }
  return n;
}

function serviceSlug(v: unknown, doc: number, field: string, issues: ImportIssue[]): string | null {
  if (typeof v !== "string" || !SLUG.test(v)) {
    issues.push({
      document: doc,
      field,
      message: `must be a service slug (lowercase letters, digits, '-'; got ${JSON.stringify(v)})`,
    });
    return null;
  }
  return v;
}

function sloName(v: unknown, doc: number, field: string, issues: ImportIssue[]): string | null {
  if (typeof v !== "string" || v.trim() === "" || v.length > 200) {
    issues.push({ document: doc, field, message: "is required: a name of 1 to 200 characters" });
    return null;
  }
  return v;
}

function query(v: unknown, doc: number, field: string, issues: ImportIssue[]): string | null {
  if (typeof v !== "string" || v.trim() === "") {
    issues.push({ document: doc, field, message: "is required: a PromQL query" });
    return null;
  }
  return v.trim();
}

export function parseSloth(text: string): { slos: ImportedSlo[]; issues: ImportIssue[]; warnings: string[] } {
  const issues: ImportIssue[] = [];
  const warnings: string[] = [];
  const slos: ImportedSlo[] = [];
  readDocuments(text, issues).forEach((d, doc) => {
    if (d.version !== "prometheus/v1") {
      issues.push({
        document: doc,
        field: "version",
        message: `must be 'prometheus/v1' (Sloth's spec; got ${JSON.stringify(d.version ?? null)})`,
      });
      return;
    }
    const service = serviceSlug(d.service, doc, "service", issues);
    if (d.slo_plugins !== undefined)
      warnings.push(`document ${doc}: slo_plugins are Sloth rule plugins; ignored`);
    if (d.labels !== undefined) warnings.push(`document ${doc}: labels are Prometheus rule labels; ignored`);
    if (!Array.isArray(d.slos) || d.slos.length === 0) {
      issues.push({ document: doc, field: "slos", message: "is required: a list of SLOs" });
      return;
    }
    d.slos.forEach((s: unknown, i) => {
      const p = `slos[${i}]`;
      if (!isObj(s)) return issues.push({ document: doc, field: p, message: "must be a mapping" });
      const name = sloName(s.name, doc, `${p}.name`, issues);
      const obj = objective(s.objective, doc, `${p}.objective`, issues);
      const sli = s.sli;
      if (!isObj(sli)) return issues.push({ document: doc, field: `${p}.sli`, message: "is required" });
      if (sli.raw !== undefined)
        return issues.push({
          document: doc,
          field: `${p}.sli.raw`,
          message:
            "raw error-ratio SLIs are not supported: Burnrate counts events; give sli.events with error_query and total_query",
        });
      if (sli.plugin !== undefined)
        return issues.push({
          document: doc,
          field: `${p}.sli.plugin`,
          message: "Sloth SLI plugins are Go code Burnrate cannot run; give sli.events",
        });
      if (!isObj(sli.events))
        return issues.push({
          document: doc,
          field: `${p}.sli.events`,
          message: "is required: error_query and total_query",
        });
      const bad = query(
        sli.events.error_query ?? sli.events.errorQuery,
        doc,
        `${p}.sli.events.error_query`,
        issues,
      );
      const total = query(
        sli.events.total_query ?? sli.events.totalQuery,
        doc,
        `${p}.sli.events.total_query`,
        issues,
      );
      const alerting = isObj(s.alerting) ? s.alerting : {};
      const disabledTiers = [
        ...(isObj(alerting.page_alert) && alerting.page_alert.disable === true ? PAGE_TIERS : []),
        ...(isObj(alerting.ticket_alert) && alerting.ticket_alert.disable === true ? TICKET_TIERS : []),
      ];
      if (name === null || obj === null || bad === null || total === null || service === null) return;
      slos.push({
        document: doc,
        service,
        name,
        description: typeof s.description === "string" && s.description !== "" ? s.description : null,
        objectivePercent: obj,
        windowDays: 30,
        bad,
        total,
        disabledTiers,
      });
    });
  });
  return { slos, issues, warnings };
}

const WINDOW = /^(\d+)([dw])$/;

export function parsePyrra(text: string): { slos: ImportedSlo[]; issues: ImportIssue[]; warnings: string[] } {
  const issues: ImportIssue[] = [];
  const warnings: string[] = [];
  const slos: ImportedSlo[] = [];
  readDocuments(text, issues).forEach((d, doc) => {
    if (typeof d.apiVersion !== "string" || !d.apiVersion.startsWith("pyrra.dev/")) {
      issues.push({
        document: doc,
        field: "apiVersion",
        message: `must be pyrra.dev/v1alpha1 (got ${JSON.stringify(d.apiVersion ?? null)})`,
      });
      return;
    }
    if (d.kind !== "ServiceLevelObjective") {
      issues.push({
        document: doc,
        field: "kind",
        message: `must be ServiceLevelObjective (got ${JSON.stringify(d.kind ?? null)})`,
      });
      return;
    }
    const md = isObj(d.metadata) ? d.metadata : {};
    const name = sloName(md.name, doc, "metadata.name", issues);
    const service = serviceSlug(md.namespace ?? "default", doc, "metadata.namespace", issues);
    const spec = isObj(d.spec) ? d.spec : null;
    if (!spec) return issues.push({ document: doc, field: "spec", message: "is required" });
    const obj = objective(spec.target, doc, "spec.target", issues);
    const w = typeof spec.window === "string" ? WINDOW.exec(spec.window) : null;
    const days = w ? Number(w[1]) * (w[2] === "w" ? 7 : 1) : null;
    if (days === null || days < 1 || days > 90) {
      issues.push({
        document: doc,
        field: "spec.window",
        message: `must be whole days or weeks from 1d to 90d, e.g. 2w or 28d (got ${JSON.stringify(spec.window ?? null)})`,
      });
    }
    const ind = isObj(spec.indicator) ? spec.indicator : null;
    if (!ind) return issues.push({ document: doc, field: "spec.indicator", message: "is required" });
    for (const k of ["bool_gauge", "boolGauge", "latencyNative", "latency_native"])
      if (ind[k] !== undefined)
        return issues.push({
          document: doc,
          field: `spec.indicator.${k}`,
          message: k.startsWith("bool")
            ? "bool-gauge indicators (up/down probes) are not supported: Burnrate counts events; use a ratio of counters"
            : "native-histogram latency indicators are not supported; use a classic histogram (latency)",
        });
    const kind = ind.ratio !== undefined ? "ratio" : ind.latency !== undefined ? "latency" : null;
    if (!kind)
      return issues.push({ document: doc, field: "spec.indicator", message: "needs ratio or latency" });
    const x = ind[kind];
    if (!isObj(x))
      return issues.push({ document: doc, field: `spec.indicator.${kind}`, message: "must be a mapping" });
    if (x.grouping !== undefined)
      return issues.push({
        document: doc,
        field: `spec.indicator.${kind}.grouping`,
        message:
          "grouped SLOs (one per label value) are not supported: import one SLO per group, or drop the grouping",
      });
    const leaf = kind === "ratio" ? "errors" : "success";
    const events = query(
      isObj(x[leaf]) ? x[leaf].metric : undefined,
      doc,
      `spec.indicator.${kind}.${leaf}.metric`,
      issues,
    );
    const total = query(
      isObj(x.total) ? x.total.metric : undefined,
      doc,
      `spec.indicator.${kind}.total.metric`,
      issues,
    );
    if (
      name === null ||
      service === null ||
      obj === null ||
      days === null ||
      events === null ||
      total === null
    )
      return;
    if (isObj(spec.alerting) && spec.alerting.disabled === true)
      warnings.push(`document ${doc}: alerting.disabled is not read; Burnrate's tiers apply`);
    slos.push({
      document: doc,
      service,
      name,
      description: typeof spec.description === "string" && spec.description !== "" ? spec.description : null,
      objectivePercent: obj,
      windowDays: days,
      ...(kind === "ratio" ? { bad: events } : { good: events }),
      total,
      disabledTiers: [],
    });
  });
  return { slos, issues, warnings };
}
