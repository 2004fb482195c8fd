/**
 * Sloth (`prometheus/v1`) and Pyrra (`pyrra.dev/v1alpha1` ServiceLevelObjective) specs → Prometheus-sourced
 * Burnrate SLOs. What Burnrate cannot do as written is refused with the document and the field.
 *
 * - Sloth: `service` is the Burnrate service (slug); each `slos[]` entry is an SLO named by `name`, with
 *   `objective`, `description`, and `sli.events.error_query` / `total_query` (rate expressions with
 *   `{{.window}}`). The period is Sloth's default, 30 days rolling; the alert tiers are Burnrate's workbook tiers,
 *   the same multiwindow pairs Sloth generates (page 1 h/5 m and 6 h/30 m, ticket 1 d/2 h and 3 d/6 h).
 *   `page_alert.disable` / `ticket_alert.disable` turn off those tiers. `sli.raw` and `sli.plugin` are refused.
 *   Sloth's Kubernetes resource (`sloth.slok.dev/v1` PrometheusServiceLevel) is the same spec under `spec`,
 *   in camelCase (`errorQuery`, `pageAlert`). Sloth's OpenSLO input (`openslo/v1alpha` SLO) is read as Sloth
 *   reads it (readSlothOpenSlo).
 * - Pyrra: the service is `metadata.namespace` (default `default`), the SLO `metadata.name`; `spec.target`,
 *   `spec.window` (whole days), `spec.description`, and `spec.indicator.ratio` (errors/total metrics) or
 *   `spec.indicator.latency` (success/total metrics). `grouping`, `bool_gauge` and `latencyNative` are refused.
 *   `alerting.disabled: true` or `alerting.burnrates: false` (no burn-rate alerts in Pyrra) turn every tier off.
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
  /** The document's field each query came from, named when Burnrate refuses the query. */
  fields: { good?: string; bad?: string; total: string };
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

/** Where a Sloth document's SLO list lives: the top level (`prometheus/v1`) or the Kubernetes CRD's `spec`. */
function slothBody(d: Obj, doc: number, issues: ImportIssue[]): { body: Obj; prefix: string } | null {
  if (typeof d.apiVersion === "string" && d.apiVersion.startsWith("sloth.slok.dev/")) {
    if (d.kind !== "PrometheusServiceLevel") {
      issues.push({
        document: doc,
        field: "kind",
        message: `must be PrometheusServiceLevel (Sloth's Kubernetes resource; got ${JSON.stringify(d.kind ?? null)})`,
      });
      return null;
    }
    if (!isObj(d.spec)) {
      issues.push({ document: doc, field: "spec", message: "is required" });
      return null;
    }
    return { body: d.spec, prefix: "spec." };
  }
  if (d.version !== "prometheus/v1") {
    issues.push({
      document: doc,
      field: d.apiVersion !== undefined ? "apiVersion" : "version",
      message:
        d.apiVersion !== undefined
          ? `must be sloth.slok.dev/v1 (kind PrometheusServiceLevel) or openslo/v1alpha (kind SLO), the forms Sloth reads besides version: prometheus/v1 (got ${JSON.stringify(d.apiVersion)})`
          : `must be 'prometheus/v1' (Sloth's spec; got ${JSON.stringify(d.version ?? null)})`,
    });
    return null;
  }
  return { body: d, prefix: "" };
}

/** A leaf of an OpenSLO v1alpha ratio metric as Sloth reads it: a PromQL query of source prometheus. */
function openSloQuery(v: unknown, doc: number, field: string, issues: ImportIssue[]): string | null {
  if (!isObj(v)) {
    issues.push({
      document: doc,
      field,
      message: "is required: {source: prometheus, queryType: promql, query}",
    });
    return null;
  }
  if (v.source !== "prometheus") {
    issues.push({
      document: doc,
      field: `${field}.source`,
      message: `must be prometheus (got ${JSON.stringify(v.source ?? null)})`,
    });
    return null;
  }
  if (v.queryType !== "promql") {
    issues.push({
      document: doc,
      field: `${field}.queryType`,
      message: `must be promql (got ${JSON.stringify(v.queryType ?? null)})`,
    });
    return null;
  }
  return query(v.query, doc, `${field}.query`, issues);
}

/**
 * Sloth's OpenSLO input (`openslo/v1alpha`, kind SLO), read as Sloth reads it: each of `spec.objectives` is an
 * SLO named `<metadata.name>-<index>` with `ratioMetrics.good`/`total` PromQL queries and `target` as a ratio;
 * one `timeWindows` entry in days (default 30). Sloth generates no alerts for this input: the tiers are off.
 */
function readSlothOpenSlo(
  d: Obj,
  doc: number,
  out: { slos: ImportedSlo[]; issues: ImportIssue[]; warnings: string[] },
): void {
  const { issues } = out;
  if (d.kind !== "SLO") {
    issues.push({
      document: doc,
      field: "kind",
      message: `must be SLO (Sloth reads OpenSLO v1alpha SLO documents; got ${JSON.stringify(d.kind ?? null)})`,
    });
    return;
  }
  const md = isObj(d.metadata) ? d.metadata : {};
  const base = sloName(md.name, doc, "metadata.name", issues);
  const spec = isObj(d.spec) ? d.spec : null;
  if (!spec) return void issues.push({ document: doc, field: "spec", message: "is required" });
  const service = serviceSlug(spec.service, doc, "spec.service", issues);
  let windowDays: number | null = 30;
  if (spec.timeWindows !== undefined) {
    const tw = spec.timeWindows;
    if (!Array.isArray(tw) || tw.length !== 1 || !isObj(tw[0])) {
      issues.push({ document: doc, field: "spec.timeWindows", message: "must hold exactly one time window" });
      windowDays = null;
    } else if (typeof tw[0].unit !== "string" || tw[0].unit.toLowerCase() !== "day") {
      issues.push({
        document: doc,
        field: "spec.timeWindows[0].unit",
        message: `must be Day (got ${JSON.stringify(tw[0].unit ?? null)})`,
      });
      windowDays = null;
    } else if (
      typeof tw[0].count !== "number" ||
      !Number.isInteger(tw[0].count) ||
      tw[0].count < 1 ||
      tw[0].count > 90
    ) {
      issues.push({
        document: doc,
        field: "spec.timeWindows[0].count",
        message: `must be a whole number of days from 1 to 90 (got ${JSON.stringify(tw[0].count ?? null)})`,
      });
      windowDays = null;
    } else windowDays = tw[0].count;
  }
  if (!Array.isArray(spec.objectives) || spec.objectives.length === 0)
    return void issues.push({
      document: doc,
      field: "spec.objectives",
      message: "is required: a list of objectives",
    });
  spec.objectives.forEach((o: unknown, i) => {
    const p = `spec.objectives[${i}]`;
    if (!isObj(o)) return issues.push({ document: doc, field: p, message: "must be a mapping" });
    const rm = o.ratioMetrics;
    if (!isObj(rm))
      return issues.push({
        document: doc,
        field: `${p}.ratioMetrics`,
        message: "is required: Sloth reads ratio objectives (good and total queries)",
      });
    const target = typeof o.target === "number" ? o.target * 100 : o.target;
    const obj = objective(target, doc, `${p}.target`, issues);
    const good = openSloQuery(rm.good, doc, `${p}.ratioMetrics.good`, issues);
    const total = openSloQuery(rm.total, doc, `${p}.ratioMetrics.total`, issues);
    if (
      base === null ||
      service === null ||
      windowDays === null ||
      obj === null ||
      good === null ||
      total === null
    )
      return;
    out.slos.push({
      document: doc,
      service,
      name: `${base}-${i}`,
      description: typeof spec.description === "string" && spec.description !== "" ? spec.description : null,
      objectivePercent: Number(obj.toPrecision(12)),
      windowDays,
      good,
      total,
      fields: { good: `${p}.ratioMetrics.good.query`, total: `${p}.ratioMetrics.total.query` },
      disabledTiers: [...PAGE_TIERS, ...TICKET_TIERS],
    });
  });
  out.warnings.push(
    `document ${doc}: Sloth generates no alerts for OpenSLO input; its SLOs are imported with their alert tiers off`,
  );
}

export function parseSloth(text: string): { slos: ImportedSlo[]; issues: ImportIssue[]; warnings: string[] } {
  const issues: ImportIssue[] = [];
  const warnings: string[] = [];
  const slos: ImportedSlo[] = [];
  readDocuments(text, issues).forEach((d, doc) => {
    if (d.apiVersion === "openslo/v1alpha") return readSlothOpenSlo(d, doc, { slos, issues, warnings });
    const form = slothBody(d, doc, issues);
    if (!form) return;
    const { body, prefix } = form;
    const service = serviceSlug(body.service, doc, `${prefix}service`, issues);
    if (body.slo_plugins !== undefined || body.sloPlugins !== undefined)
      warnings.push(`document ${doc}: slo_plugins are Sloth rule plugins; ignored`);
    if (body.labels !== undefined)
      warnings.push(`document ${doc}: labels are Prometheus rule labels; ignored`);
    if (!Array.isArray(body.slos) || body.slos.length === 0) {
      issues.push({ document: doc, field: `${prefix}slos`, message: "is required: a list of SLOs" });
      return;
    }
    body.slos.forEach((s: unknown, i) => {
      const p = `${prefix}slos[${i}]`;
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
      const camel = prefix !== "" || sli.events.errorQuery !== undefined;
      const badField = `${p}.sli.events.${camel ? "errorQuery" : "error_query"}`;
      const totalField = `${p}.sli.events.${camel ? "totalQuery" : "total_query"}`;
      const bad = query(sli.events.error_query ?? sli.events.errorQuery, doc, badField, issues);
      const total = query(sli.events.total_query ?? sli.events.totalQuery, doc, totalField, issues);
      const alerting = isObj(s.alerting) ? s.alerting : {};
      const off = (a: unknown) => isObj(a) && a.disable === true;
      const ruleSettings = (a: unknown) =>
        isObj(a) && (a.name !== undefined || a.labels !== undefined || a.annotations !== undefined);
      if (
        ruleSettings(alerting) ||
        [alerting.page_alert, alerting.pageAlert, alerting.ticket_alert, alerting.ticketAlert].some(
          ruleSettings,
        )
      )
        warnings.push(
          `document ${doc}: ${p}.alerting name, labels and annotations are Prometheus alert rule settings; ignored (Burnrate's alerts go to the team's receivers)`,
        );
      const disabledTiers = [
        ...(off(alerting.page_alert ?? alerting.pageAlert) ? PAGE_TIERS : []),
        ...(off(alerting.ticket_alert ?? alerting.ticketAlert) ? TICKET_TIERS : []),
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
        fields: { bad: badField, total: totalField },
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
    // Pyrra generates no burn-rate alerts with alerting.disabled or alerting.burnrates: false: nor does Burnrate.
    const alerting = isObj(spec.alerting) ? spec.alerting : {};
    const noAlerts = alerting.disabled === true || alerting.burnrates === false;
    if (alerting.burnRateType === "dynamic")
      warnings.push(
        `document ${doc}: alerting.burnRateType dynamic is not read; Burnrate's static multiwindow tiers apply`,
      );
    slos.push({
      document: doc,
      service,
      name,
      description: typeof spec.description === "string" && spec.description !== "" ? spec.description : null,
      objectivePercent: obj,
      windowDays: days,
      ...(kind === "ratio" ? { bad: events } : { good: events }),
      total,
      fields:
        kind === "ratio"
          ? { bad: `spec.indicator.ratio.errors.metric`, total: `spec.indicator.ratio.total.metric` }
          : { good: `spec.indicator.latency.success.metric`, total: `spec.indicator.latency.total.metric` },
      disabledTiers: noAlerts ? [...PAGE_TIERS, ...TICKET_TIERS] : [],
    });
  });
  return { slos, issues, warnings };
}
