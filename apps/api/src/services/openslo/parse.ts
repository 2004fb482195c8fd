/**
 * OpenSLO YAML (v1 and v1alpha, several documents or lists) → the Burnrate objects it describes. Pure: no
 * database. Every problem is collected with the document (1-based index, kind, name) and the field path.
 * See model.ts for the mapping.
 */
import { CreateSloBody, Slug, StatusSpec, expandStatuses, parseEndpoint } from "@burnrate/contracts";
import {
  FilterError,
  filterFields,
  parseFilter,
  printFilter,
  type FilterNode,
} from "@burnrate/ingest/filter";
import { objectiveToPercent, tierFactor } from "@burnrate/slo-core";
import { parseAllDocuments } from "yaml";
import { BAD_IN_NAME, findControlCharacter } from "../control-characters";
import { z } from "zod";
import {
  ANN_PREFIXES,
  METRIC_SOURCE_TYPES,
  NAME_RE,
  denormalizeAlerting,
  nominalPeriodDays,
  normalizeAlerting,
  parseMinutes,
  type TierSpec,
  type WindowSpec,
} from "./model";

export interface ImportIssue {
  document: number;
  kind: string;
  name: string;
  field: string;
  message: string;
}
export interface DocRef {
  document: number;
  kind: string;
  name: string;
}
export interface DesiredService {
  slug: string;
  name: string;
  team: string | null;
  description: string | null;
  runbookUrl: string | null;
  tier: number | null;
  failureStatuses: number[];
  source: DocRef;
}
export interface DesiredSlo {
  service: string;
  input: CreateSloBody;
  source: DocRef;
}
export interface SlackBinding {
  channel: string;
  /** The team named by the target's annotation, or the service whose SLO alerts through the target. */
  team?: string;
  service?: string;
  source: DocRef;
}
export interface ParsedOpenSlo {
  services: DesiredService[];
  slos: DesiredSlo[];
  slack: SlackBinding[];
  warnings: string[];
  errors: ImportIssue[];
  documents: number;
}

type Obj = Record<string, unknown>;
interface Doc {
  index: number;
  apiVersion: string;
  kind: string;
  name: string;
  metadata: Obj;
  spec: Obj;
}

const KINDS = [
  "DataSource",
  "SLO",
  "SLI",
  "AlertPolicy",
  "AlertCondition",
  "AlertNotificationTarget",
  "Service",
];
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

class Ctx {
  constructor(
    readonly doc: DocRef,
    private readonly out: ParsedOpenSlo,
  ) {}
  err(field: string, message: string): null {
    this.out.errors.push({ ...this.doc, field, message });
    return null;
  }
  warn(field: string, message: string): void {
    this.out.warnings.push(
      `document ${this.doc.document} (${this.doc.kind} ${this.doc.name}): field ${field}: ${message}`,
    );
  }
}

const printable = (s: string) => s.replace(new RegExp(BAD_IN_NAME.source, "g"), "?");

export function parseOpenSlo(text: string): ParsedOpenSlo {
  const out: ParsedOpenSlo = { services: [], slos: [], slack: [], warnings: [], errors: [], documents: 0 };
  const docs: Doc[] = [];
  let index = 0;
  for (const yd of parseAllDocuments(text, { prettyErrors: true })) {
    if (!("errors" in yd)) continue;
    if (yd.errors.length > 0) {
      index++;
      const e = yd.errors[0]!;
      const at = e.linePos?.[0] ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : "";
      out.errors.push({
        document: index,
        kind: "?",
        name: "?",
        field: "(yaml)",
        message: `${e.message.split("\n")[0]}${at}`,
      });
      continue;
    }
    let js: unknown;
    try {
      js = yd.toJS();
    } catch (e) {
      index++;
      out.errors.push({
        document: index,
        kind: "?",
        name: "?",
        field: "(yaml)",
        message: (e as Error).message,
      });
      continue;
    }
    if (js === null || js === undefined) continue;
    for (const item of Array.isArray(js) ? js : [js]) {
      index++;
      // YAML escapes ("\0", "\x00", "\u0000") decode to control characters, which no field may hold.
      const hostile = findControlCharacter(item, "$");
      if (hostile) {
        const meta = item as { kind?: unknown; metadata?: { name?: unknown } } | null;
        out.errors.push({
          document: index,
          kind: typeof meta?.kind === "string" ? printable(meta.kind) : "?",
          name: typeof meta?.metadata?.name === "string" ? printable(meta.metadata.name) : "?",
          field: hostile.field.replace(/^\$\.?/, "") || "(document)",
          message: `contains the control character ${hostile.char}; NUL and other control characters are not allowed`,
        });
        continue;
      }
      const d = readDoc(item, index, out);
      if (d) docs.push(d);
    }
  }
  out.documents = index;
  if (index === 0)
    out.errors.push({
      document: 0,
      kind: "?",
      name: "?",
      field: "(yaml)",
      message: "the file holds no OpenSLO documents",
    });

  const byKind = new Map<string, Map<string, Doc>>();
  for (const d of docs) {
    const m = byKind.get(d.kind) ?? new Map<string, Doc>();
    byKind.set(d.kind, m);
    if (m.has(d.name)) {
      new Ctx(ref(d), out).err(
        "metadata.name",
        `a ${d.kind} named '${d.name}' is already document ${m.get(d.name)!.index}`,
      );
      continue;
    }
    m.set(d.name, d);
  }
  const get = (kind: string, name: unknown) =>
    typeof name === "string" ? byKind.get(kind)?.get(name) : undefined;
  const reader = new Reader(out, get);

  for (const d of docs) {
    const c = new Ctx(ref(d), out);
    if (d.kind === "Service") reader.service(d, c);
    else if (d.kind === "SLO") reader.slo(d, c);
    else if (d.kind === "AlertNotificationTarget") {
      const team = ann(d.metadata, "team");
      const channel = slackChannelOf(d);
      if (team && channel) out.slack.push({ channel, team, source: ref(d) });
    } else if (d.kind === "DataSource") {
      const type = d.spec.type;
      if (typeof type !== "string" || !METRIC_SOURCE_TYPES.includes(type))
        c.warn(
          "spec.type",
          `data source type '${String(type)}' is not read by Burnrate (only ${METRIC_SOURCE_TYPES.join(", ")})`,
        );
    }
  }
  const seen = new Map<string, DocRef>();
  for (const s of out.slos) {
    const key = `${s.service}\u0000${s.input.name}`;
    const prev = seen.get(key);
    if (prev)
      out.errors.push({
        ...s.source,
        field: "metadata.displayName",
        message: `service '${s.service}' already has an SLO named '${s.input.name}' in document ${prev.document}; SLOs are matched by service and name`,
      });
    else seen.set(key, s.source);
  }
  const svcSeen = new Set<string>();
  return { ...out, services: out.services.filter((s) => !svcSeen.has(s.slug) && svcSeen.add(s.slug)) };
}

function ref(d: Doc): DocRef {
  return { document: d.index, kind: d.kind, name: d.name };
}

function readDoc(item: unknown, index: number, out: ParsedOpenSlo): Doc | null {
  const guessName =
    isObj(item) && isObj(item.metadata) && typeof item.metadata.name === "string" ? item.metadata.name : "?";
  const guessKind = isObj(item) && typeof item.kind === "string" ? item.kind : "?";
  const c = new Ctx({ document: index, kind: guessKind, name: guessName }, out);
  if (!isObj(item)) return c.err("(document)", "must be a mapping with apiVersion, kind, metadata and spec");
  const apiVersion = item.apiVersion;
  if (apiVersion !== "openslo/v1" && apiVersion !== "openslo/v1alpha")
    return c.err(
      "apiVersion",
      `must be 'openslo/v1' or 'openslo/v1alpha', not ${JSON.stringify(apiVersion ?? null)}`,
    );
  if (typeof item.kind !== "string" || !KINDS.includes(item.kind))
    return c.err("kind", `must be one of ${KINDS.join(", ")}, not ${JSON.stringify(item.kind ?? null)}`);
  if (!isObj(item.metadata)) return c.err("metadata", "is required (a mapping with a name)");
  const name = item.metadata.name;
  if (typeof name !== "string" || !NAME_RE.test(name) || name.length > 63)
    return c.err(
      "metadata.name",
      `must be an RFC 1123 name of at most 63 lowercase letters, digits, '-' and '.' (got ${JSON.stringify(name ?? null)})`,
    );
  if (item.spec !== undefined && !isObj(item.spec)) return c.err("spec", "must be a mapping");
  const d: Doc = {
    index,
    apiVersion,
    kind: item.kind,
    name,
    metadata: item.metadata,
    spec: (item.spec as Obj) ?? {},
  };
  if (apiVersion === "openslo/v1alpha") fromV1alpha(d);
  return d;
}

const V1ALPHA_UNITS: Record<string, string> = {
  Minute: "m",
  Hour: "h",
  Day: "d",
  Week: "w",
  Month: "M",
  Quarter: "Q",
  Year: "Y",
};
/** v1alpha → v1: timeWindows[].count/unit, objectives[].ratioMetrics, thresholdMetric.source/query. */
function fromV1alpha(d: Doc): void {
  if (d.kind !== "SLO") return;
  const s = d.spec;
  if (Array.isArray(s.timeWindows) && s.timeWindow === undefined) {
    s.timeWindow = s.timeWindows.map((w: unknown) =>
      isObj(w)
        ? {
            duration: `${String(w.count)}${V1ALPHA_UNITS[String(w.unit)] ?? String(w.unit)}`,
            isRolling: w.isRolling,
            ...(w.calendar !== undefined ? { calendar: w.calendar } : {}),
          }
        : w,
    );
    delete s.timeWindows;
  }
  const leaf = (m: unknown, key: "filter" | "field") =>
    isObj(m) ? { metricSource: { type: m.source, spec: { [key]: m.query } } } : m;
  const objectives = Array.isArray(s.objectives) ? s.objectives : [];
  const ratio = objectives.map((o) => (isObj(o) ? o.ratioMetrics : undefined)).find((r) => r !== undefined);
  const indicator = isObj(s.indicator) ? s.indicator : { metadata: { name: d.name } };
  const ispec = isObj(indicator.spec) ? indicator.spec : {};
  if (isObj(ratio)) {
    ispec.ratioMetric = {
      counter: ratio.counter ?? false,
      ...(ratio.good !== undefined ? { good: leaf(ratio.good, "filter") } : {}),
      ...(ratio.bad !== undefined ? { bad: leaf(ratio.bad, "filter") } : {}),
      total: leaf(ratio.total, "filter"),
    };
    for (const o of objectives) if (isObj(o)) delete o.ratioMetrics;
  }
  if (isObj(ispec.thresholdMetric) && !("metricSource" in ispec.thresholdMetric))
    ispec.thresholdMetric = leaf(ispec.thresholdMetric, "field");
  if (s.indicator !== undefined || isObj(ratio)) s.indicator = { ...indicator, spec: ispec };
}

function ann(meta: Obj, key: string): string | undefined {
  if (!isObj(meta.annotations)) return undefined;
  for (const p of ANN_PREFIXES) {
    const v = meta.annotations[`${p}${key}`];
    if (v !== undefined && v !== null) return String(v);
  }
  return undefined;
}
function slackChannelOf(d: { metadata: Obj; spec: Obj }): string | undefined {
  if (d.spec.target !== undefined && String(d.spec.target).toLowerCase() !== "slack") return undefined;
  const a = ann(d.metadata, "slack-channel");
  if (a) return a.startsWith("#") ? a : `#${a}`;
  const m =
    typeof d.spec.description === "string" ? /#[a-z0-9][a-z0-9._-]{0,79}/.exec(d.spec.description) : null;
  return m?.[0];
}

class Reader {
  constructor(
    private readonly out: ParsedOpenSlo,
    private readonly get: (kind: string, name: unknown) => Doc | undefined,
  ) {}

  service(d: Doc, c: Ctx): void {
    if (!Slug.safeParse(d.name).success)
      return void c.err(
        "metadata.name",
        "a service name is its Burnrate slug: lowercase letters, digits and dashes",
      );
    const labels = isObj(d.metadata.labels) ? d.metadata.labels : {};
    let team: string | null = null;
    const t = labels.team;
    if (t !== undefined) {
      const v = Array.isArray(t) && t.length === 1 ? t[0] : t;
      if (typeof v !== "string" || !Slug.safeParse(v).success)
        return void c.err("metadata.labels.team", "must be one team slug (the owning team)");
      team = v;
    }
    let failureStatuses = expandStatuses(["500-599"]);
    const fs = ann(d.metadata, "failure-statuses");
    if (fs !== undefined) {
      const parts = fs
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean);
      const parsed = parts.map((p) => StatusSpec.safeParse(/^\d+$/.test(p) ? Number(p) : p));
      if (parts.length === 0 || parsed.some((p) => !p.success))
        return void c.err(
          "metadata.annotations.burnrate.io/failure-statuses",
          `must be status codes and ranges such as '429,500-599' (got '${fs}')`,
        );
      failureStatuses = expandStatuses(parsed.map((p) => p.data!));
    }
    const runbookUrl = ann(d.metadata, "runbook-url") ?? null;
    if (runbookUrl !== null && !z.url().safeParse(runbookUrl).success)
      return void c.err("metadata.annotations.burnrate.io/runbook-url", "must be a URL");
    const tierS = ann(d.metadata, "service-tier");
    const tier = tierS === undefined ? null : Number(tierS);
    if (tier !== null && !(Number.isInteger(tier) && tier >= 1 && tier <= 5))
      return void c.err("metadata.annotations.burnrate.io/service-tier", "must be an integer from 1 to 5");
    const name =
      typeof d.metadata.displayName === "string" && d.metadata.displayName ? d.metadata.displayName : d.name;
    if (name.length > 200) return void c.err("metadata.displayName", "must be at most 200 characters");
    const description =
      d.spec.description === undefined || d.spec.description === null ? null : String(d.spec.description);
    if (description !== null && description.length > 2000)
      return void c.err("spec.description", "must be at most 2000 characters");
    this.out.services.push({
      slug: d.name,
      name,
      team,
      description,
      runbookUrl,
      tier,
      failureStatuses,
      source: ref(d),
    });
  }

  slo(d: Doc, c: Ctx): void {
    const s = d.spec;
    const errorsBefore = this.out.errors.length;
    const service = s.service;
    if (typeof service !== "string" || !Slug.safeParse(service).success)
      return void c.err("spec.service", "is required: the name of the Service (a Burnrate service slug)");
    const name =
      typeof d.metadata.displayName === "string" && d.metadata.displayName ? d.metadata.displayName : d.name;
    const labels = isObj(d.metadata.labels) ? d.metadata.labels : {};
    if (labels.region !== undefined)
      c.warn(
        "metadata.labels.region",
        "ignored: Burnrate evaluates every SLO in each region with traffic and across all regions",
      );

    // Objective
    if (!Array.isArray(s.objectives) || s.objectives.length === 0)
      return void c.err("spec.objectives", "is required: one objective with target or targetPercent");
    if (s.objectives.length > 1)
      return void c.err(
        "spec.objectives",
        "Burnrate SLOs have exactly one objective; write one SLO per objective",
      );
    const obj = s.objectives[0];
    if (!isObj(obj)) return void c.err("spec.objectives[0]", "must be a mapping");
    let objectivePercent: number | null = null;
    if (obj.target !== undefined && obj.targetPercent !== undefined)
      c.err("spec.objectives[0].target", "give target or targetPercent, not both");
    else if (typeof obj.target === "number") {
      if (!(obj.target > 0 && obj.target < 1))
        c.err("spec.objectives[0].target", `must be above 0 and below 1 (got ${obj.target})`);
      else objectivePercent = objectiveToPercent(obj.target);
    } else if (typeof obj.targetPercent === "number") {
      if (!(obj.targetPercent > 0 && obj.targetPercent < 100))
        c.err("spec.objectives[0].targetPercent", `must be above 0 and below 100 (got ${obj.targetPercent})`);
      else objectivePercent = obj.targetPercent;
    } else c.err("spec.objectives[0].target", "is required: a number above 0 and below 1 (or targetPercent)");

    // Indicator
    let sliDoc: { metadata: Obj; spec: Obj; c: Ctx; prefix: string } | null = null;
    if (s.indicator !== undefined && s.indicatorRef !== undefined)
      c.err("spec.indicatorRef", "give indicator or indicatorRef, not both");
    else if (isObj(s.indicator))
      sliDoc = {
        metadata: isObj(s.indicator.metadata) ? s.indicator.metadata : {},
        spec: isObj(s.indicator.spec) ? s.indicator.spec : {},
        c,
        prefix: "spec.indicator.spec.",
      };
    else if (s.indicatorRef !== undefined) {
      const sd = this.get("SLI", s.indicatorRef);
      if (!sd) c.err("spec.indicatorRef", `no SLI named ${JSON.stringify(s.indicatorRef)} in this file`);
      else sliDoc = { metadata: sd.metadata, spec: sd.spec, c: new Ctx(ref(sd), this.out), prefix: "spec." };
    } else c.err("spec.indicator", "is required: an inline indicator or an indicatorRef to an SLI");
    const sli = sliDoc ? this.sli(sliDoc, c, obj, service) : null;

    const window = this.window(s.timeWindow, c);
    let budgetingMethod: "occurrences" | "timeslices" | null = null;
    if (s.budgetingMethod === "Occurrences") budgetingMethod = "occurrences";
    else if (s.budgetingMethod === "Timeslices") {
      budgetingMethod = "timeslices";
      if (obj.timeSliceWindow !== undefined && obj.timeSliceWindow !== "1m")
        c.warn("spec.objectives[0].timeSliceWindow", "Burnrate evaluates one-minute time slices");
    } else
      c.err(
        "spec.budgetingMethod",
        `must be Occurrences or Timeslices (got ${JSON.stringify(s.budgetingMethod ?? null)}); RatioTimeslices is not supported`,
      );

    const alerting = this.alerting(d, c, service, window);
    if (
      this.out.errors.length > errorsBefore ||
      !sli ||
      !window ||
      !budgetingMethod ||
      objectivePercent === null ||
      !alerting
    )
      return;

    const priority = ann(d.metadata, "priority");
    const input = {
      service,
      name,
      ...(s.description !== undefined && s.description !== null
        ? { description: String(s.description) }
        : {}),
      ...(sli.endpoint ? { endpoint: sli.endpoint } : {}),
      sli: sli.sli,
      objectivePercent,
      window,
      budgetingMethod,
      priority: priority ?? null,
      ...optional("journeyStep", ann(d.metadata, "journey-step")),
      ...optional("customerSegment", ann(d.metadata, "customer-segment")),
      ...optional("runbookUrl", ann(d.metadata, "runbook-url")),
      alerting,
    };
    const parsed = CreateSloBody.safeParse(input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) c.err(FIELD_OF[String(i.path[0])] ?? i.path.join("."), i.message);
      return;
    }
    this.out.slos.push({ service, input: parsed.data, source: ref(d) });
  }

  private sli(
    x: { metadata: Obj; spec: Obj; c: Ctx; prefix: string },
    sloC: Ctx,
    obj: Obj,
    service: string,
  ): { sli: CreateSloBody["sli"]; endpoint: string | null } | null {
    const { spec, c, prefix } = x;
    if ((spec.thresholdMetric === undefined) === (spec.ratioMetric === undefined))
      return c.err(`${prefix}ratioMetric`, "an SLI needs exactly one of thresholdMetric or ratioMetric");
    if (spec.thresholdMetric !== undefined) {
      const tm = spec.thresholdMetric;
      const ms = isObj(tm)
        ? this.metricSource(tm.metricSource, c, `${prefix}thresholdMetric.metricSource`)
        : null;
      if (!isObj(tm)) return c.err(`${prefix}thresholdMetric`, "must be a mapping with a metricSource");
      if (!ms) return null;
      if (ms.spec.field !== "durationMs")
        return c.err(
          `${prefix}thresholdMetric.metricSource.spec.field`,
          `must be 'durationMs': Burnrate threshold SLIs measure request duration (got ${JSON.stringify(ms.spec.field ?? null)})`,
        );
      if (obj.op !== "lte")
        return sloC.err(
          "spec.objectives[0].op",
          `must be 'lte' for a latency SLI (got ${JSON.stringify(obj.op ?? null)})`,
        );
      const v = obj.value;
      if (typeof v !== "number" || !Number.isInteger(v) || v <= 0 || v > 600_000)
        return sloC.err(
          "spec.objectives[0].value",
          "must be the latency threshold in ms, an integer from 1 to 600000",
        );
      return { sli: { type: "latency", thresholdMs: v }, endpoint: ms.endpoint };
    }
    if (obj.op !== undefined || obj.value !== undefined)
      return sloC.err("spec.objectives[0].op", "op and value apply to thresholdMetric SLIs only");
    const rm = spec.ratioMetric;
    const p = `${prefix}ratioMetric`;
    if (!isObj(rm)) return c.err(p, "must be a mapping with good (or bad) and total");
    if (rm.raw !== undefined)
      return c.err(`${p}.raw`, "raw ratio metrics are not supported; give good (or bad) and total");
    if ((rm.good === undefined) === (rm.bad === undefined))
      return c.err(`${p}.good`, "give exactly one of good or bad");
    const which = rm.good !== undefined ? "good" : "bad";
    const leafG = rm[which];
    const leafT = rm.total;
    if (!isObj(leafG)) return c.err(`${p}.${which}`, "must be a mapping with a metricSource");
    if (!isObj(leafT)) return c.err(`${p}.total`, "is required: a mapping with a metricSource");
    const g = this.metricSource(leafG.metricSource, c, `${p}.${which}.metricSource`);
    const t = this.metricSource(leafT.metricSource, c, `${p}.total.metricSource`);
    if (!g || !t) return null;
    if (g.endpoint !== null && g.endpoint !== t.endpoint)
      return c.err(
        `${p}.${which}.metricSource.spec.endpoint`,
        `must equal the total's endpoint (${JSON.stringify(t.endpoint)})`,
      );
    const gf = this.filter(g.spec.filter, c, `${p}.${which}.metricSource.spec.filter`, service);
    const tf = this.filter(t.spec.filter, c, `${p}.total.metricSource.spec.filter`, service);
    if (!gf || !tf) return null;
    if (ann(x.metadata, "sli") === "availability")
      return { sli: { type: "availability" }, endpoint: t.endpoint };
    const good: FilterNode = which === "good" ? gf : { type: "not", item: gf };
    return { sli: { type: "ratio", good: printFilter(good), total: printFilter(tf) }, endpoint: t.endpoint };
  }

  private metricSource(ms: unknown, c: Ctx, path: string): { spec: Obj; endpoint: string | null } | null {
    if (!isObj(ms)) return c.err(path, "is required: {type: burnrate.requests, spec: {…}}");
    let type = ms.type;
    if (type === undefined && ms.metricSourceRef !== undefined) {
      const ds = this.get("DataSource", ms.metricSourceRef);
      if (!ds)
        return c.err(
          `${path}.metricSourceRef`,
          `no DataSource named ${JSON.stringify(ms.metricSourceRef)} in this file`,
        );
      type = ds.spec.type;
    }
    if (typeof type !== "string" || !METRIC_SOURCE_TYPES.includes(type))
      return c.err(
        `${path}.type`,
        `Burnrate evaluates its own request logs: the metric source type must be '${METRIC_SOURCE_TYPES[0]}' (got ${JSON.stringify(type ?? null)})`,
      );
    if (!isObj(ms.spec)) return c.err(`${path}.spec`, "is required");
    const ep = ms.spec.endpoint;
    if (ep !== undefined && (typeof ep !== "string" || !parseEndpoint(ep)))
      return c.err(
        `${path}.spec.endpoint`,
        `must be 'METHOD /route', e.g. 'GET /cart' (got ${JSON.stringify(ep)})`,
      );
    return { spec: ms.spec, endpoint: typeof ep === "string" ? ep : null };
  }

  /** Parses a filter; `service = "<the SLO's service>"` conjuncts are dropped (the SLO is scoped to it). */
  private filter(src: unknown, c: Ctx, path: string, service: string): FilterNode | null {
    if (typeof src !== "string" || src.trim() === "")
      return c.err(path, "is required: a filter such as 'status < 500' (or 'true')");
    let n: FilterNode;
    try {
      n = parseFilter(src, { extraFields: ["service"] });
    } catch (e) {
      if (e instanceof FilterError) return c.err(path, e.message);
      throw e;
    }
    const isOwn = (x: FilterNode) => x.type === "cmp" && x.field === "service" && x.op === "=";
    const other = (x: FilterNode) => isOwn(x) && (x as { value: unknown }).value !== service;
    const items = n.type === "and" ? n.items : [n];
    const bad = items.find(other);
    if (bad)
      return c.err(
        path,
        `selects service ${JSON.stringify((bad as { value: unknown }).value)} but the SLO is for '${service}'`,
      );
    const kept = items.filter((x) => !isOwn(x));
    n = kept.length === 0 ? { type: "true" } : kept.length === 1 ? kept[0]! : { type: "and", items: kept };
    if (filterFields(n).has("service"))
      return c.err(
        path,
        `may mention service only as a top-level 'service = "${service}" and …' (the SLO's own service)`,
      );
    return n;
  }

  private window(tw: unknown, c: Ctx): WindowSpec | null {
    if (!Array.isArray(tw) || tw.length !== 1 || !isObj(tw[0]))
      return c.err("spec.timeWindow", "must be a list with exactly one {duration, isRolling} item");
    const w = tw[0];
    const m = typeof w.duration === "string" ? /^(\d+)([mhdwMQY])$/.exec(w.duration.trim()) : null;
    if (!m)
      return c.err(
        "spec.timeWindow[0].duration",
        `must be a duration such as 28d or 1M (got ${JSON.stringify(w.duration ?? null)})`,
      );
    const n = Number(m[1]);
    const unit = m[2]!;
    const rolling = w.isRolling === true || (w.isRolling === undefined && w.calendar === undefined);
    if (rolling) {
      const days =
        unit === "d" ? n : unit === "w" ? n * 7 : unit === "M" ? n * 30 : unit === "Q" ? n * 90 : NaN;
      if (!(Number.isInteger(days) && days >= 1 && days <= 90))
        return c.err(
          "spec.timeWindow[0].duration",
          `a rolling window is 1 to 90 whole days, e.g. 28d (got ${w.duration})`,
        );
      return { type: "rolling", days };
    }
    const period =
      n === 1 && unit === "M"
        ? "month"
        : n === 1 && unit === "Q"
          ? "quarter"
          : n === 4 && unit === "w"
            ? "4w"
            : null;
    if (!period)
      return c.err(
        "spec.timeWindow[0].duration",
        `a calendar window is 1M (month), 1Q (quarter) or 4w (four ISO weeks); got ${w.duration}`,
      );
    const cal = isObj(w.calendar) ? w.calendar : {};
    const tz = cal.timeZone === undefined ? "UTC" : cal.timeZone;
    if (typeof tz !== "string" || !isTimeZone(tz))
      return c.err(
        "spec.timeWindow[0].calendar.timeZone",
        `must be an IANA time zone such as Europe/Berlin (got ${JSON.stringify(tz)})`,
      );
    return { type: "calendar", period, timeZone: tz };
  }

  private alerting(
    d: Doc,
    c: Ctx,
    service: string,
    window: WindowSpec | null,
  ): CreateSloBody["alerting"] | null {
    const s = d.spec;
    const list = s.alertPolicies ?? [];
    if (!Array.isArray(list)) return c.err("spec.alertPolicies", "must be a list");
    const tiers: TierSpec[] = [];
    let ok = true;
    list.forEach((item, i) => {
      const path = `spec.alertPolicies[${i}]`;
      let pd: { metadata: Obj; spec: Obj; c: Ctx; prefix: string; name: string };
      if (isObj(item) && item.alertPolicyRef !== undefined) {
        const p = this.get("AlertPolicy", item.alertPolicyRef);
        if (!p) {
          ok = !!c.err(
            `${path}.alertPolicyRef`,
            `no AlertPolicy named ${JSON.stringify(item.alertPolicyRef)} in this file`,
          );
          return;
        }
        pd = { metadata: p.metadata, spec: p.spec, c: new Ctx(ref(p), this.out), prefix: "", name: p.name };
      } else if (isObj(item) && isObj(item.metadata) && isObj(item.spec)) {
        pd = {
          metadata: item.metadata,
          spec: item.spec,
          c,
          prefix: `${path}.`,
          name: String(item.metadata.name ?? `policy-${i + 1}`),
        };
      } else {
        ok = !!c.err(path, "must be {alertPolicyRef: name} or an inline AlertPolicy {kind, metadata, spec}");
        return;
      }
      const t = this.tier(pd, service, window);
      if (t) tiers.push(t);
      else ok = false;
    });
    if (!ok) return null;
    const lt = [ann(d.metadata, "min-short-window-events"), ann(d.metadata, "min-long-window-bad")];
    const lowTraffic =
      lt[0] !== undefined || lt[1] !== undefined
        ? { minShortWindowEvents: Number(lt[0] ?? 10), minLongWindowBad: Number(lt[1] ?? 3) }
        : null;
    if (
      lowTraffic &&
      !Object.values(lowTraffic).every((v) => Number.isInteger(v) && v >= 0 && v <= 1_000_000)
    )
      return c.err(
        "metadata.annotations.burnrate.io/min-short-window-events",
        "low-traffic guards are integers from 0 to 1000000",
      );
    const nd = ann(d.metadata, "no-data-minutes");
    const noDataMinutes = nd === undefined ? null : Number(nd);
    if (
      noDataMinutes !== null &&
      !(Number.isInteger(noDataMinutes) && noDataMinutes >= 5 && noDataMinutes <= 10080)
    )
      return c.err("metadata.annotations.burnrate.io/no-data-minutes", "must be an integer from 5 to 10080");
    const tierNames = new Set<string>();
    for (const t of tiers) {
      if (tierNames.has(t.name))
        return c.err("spec.alertPolicies", `two alert policies define the tier '${t.name}'`);
      tierNames.add(t.name);
    }
    if (tiers.length > 10) return c.err("spec.alertPolicies", "at most 10 alert tiers per SLO");
    const normal = normalizeAlerting({
      tiers,
      lowTraffic: lowTraffic ?? undefined,
      ...(noDataMinutes !== null ? { noDataMinutes } : {}),
    });
    return denormalizeAlerting(normal);
  }

  private tier(
    p: { metadata: Obj; spec: Obj; c: Ctx; prefix: string; name: string },
    service: string,
    window: WindowSpec | null,
  ): TierSpec | null {
    const { c, prefix } = p;
    const conds = p.spec.conditions;
    if (!Array.isArray(conds) || conds.length !== 1)
      return c.err(
        `${prefix}spec.conditions`,
        "an AlertPolicy has exactly one condition (one Burnrate alert tier)",
      );
    const ci = conds[0];
    let cd: { metadata: Obj; spec: Obj; c: Ctx; prefix: string };
    if (isObj(ci) && ci.conditionRef !== undefined) {
      const x = this.get("AlertCondition", ci.conditionRef);
      if (!x)
        return c.err(
          `${prefix}spec.conditions[0].conditionRef`,
          `no AlertCondition named ${JSON.stringify(ci.conditionRef)} in this file`,
        );
      cd = { metadata: x.metadata, spec: x.spec, c: new Ctx(ref(x), this.out), prefix: "" };
    } else if (isObj(ci) && isObj(ci.spec)) {
      cd = {
        metadata: isObj(ci.metadata) ? ci.metadata : {},
        spec: ci.spec,
        c,
        prefix: `${prefix}spec.conditions[0].`,
      };
    } else
      return c.err(`${prefix}spec.conditions[0]`, "must be {conditionRef: name} or an inline AlertCondition");
    const sev = cd.spec.severity;
    if (sev !== "page" && sev !== "ticket")
      return cd.c.err(
        `${cd.prefix}spec.severity`,
        `must be 'page' or 'ticket' (got ${JSON.stringify(sev ?? null)})`,
      );
    const cond = cd.spec.condition;
    if (!isObj(cond))
      return cd.c.err(
        `${cd.prefix}spec.condition`,
        "is required: {kind: burnrate, op, threshold, lookbackWindow}",
      );
    const cp = `${cd.prefix}spec.condition`;
    if (cond.kind !== "burnrate")
      return cd.c.err(`${cp}.kind`, `must be 'burnrate' (got ${JSON.stringify(cond.kind ?? null)})`);
    if (cond.op === "lt" || cond.op === "lte")
      cd.c.warn(
        `${cp}.op`,
        `'${cond.op}' read as 'gt': a burn-rate tier fires when the burn rate is above the threshold`,
      );
    else if (cond.op !== "gt" && cond.op !== "gte")
      return cd.c.err(`${cp}.op`, `must be gt or gte (got ${JSON.stringify(cond.op ?? null)})`);
    const threshold = cond.threshold;
    if (typeof threshold !== "number" || !(threshold > 0))
      return cd.c.err(`${cp}.threshold`, "must be a positive burn-rate factor");
    const long = parseMinutes(cond.lookbackWindow);
    if (long === null || long < 1 || long > 43_200)
      return cd.c.err(
        `${cp}.lookbackWindow`,
        `must be a duration from 1m to 30d such as 1h (got ${JSON.stringify(cond.lookbackWindow ?? null)})`,
      );
    const a = (k: string) => ann(p.metadata, k) ?? ann(cd.metadata, k);
    const sw = a("short-window");
    let short: number | null;
    if (sw === undefined) short = Math.max(1, Math.round(long / 12));
    else if (sw === "none") short = null;
    else {
      short = parseMinutes(sw);
      if (short === null || short < 1 || short > long)
        return c.err(
          `${prefix}metadata.annotations.burnrate.io/short-window`,
          `must be 'none' or a duration no longer than the lookback window (got '${sw}')`,
        );
    }
    if (!this.targets(p, service)) return null;
    const bpS = a("budget-percent") ?? a("budget-consumed-percent");
    const name = (a("tier") ?? p.name).slice(0, 64);
    const base = {
      name,
      severity: sev,
      longWindowMinutes: long,
      shortWindowMinutes: short,
      enabled: true,
    } as const;
    if (bpS === undefined) return { ...base, factor: threshold };
    const bp = Number(bpS);
    if (!(bp > 0 && bp <= 100))
      return c.err(
        `${prefix}metadata.annotations.burnrate.io/budget-percent`,
        `must be a percentage above 0 and at most 100 (got '${bpS}')`,
      );
    if (window) {
      const derived = tierFactor(bp / 100, nominalPeriodDays(window) * 86_400_000, long * 60_000);
      if (Math.abs(derived - threshold) > 0.01 * derived)
        cd.c.warn(
          `${cp}.threshold`,
          `${threshold} differs from ${derived} (${bp}% of the budget in ${String(cond.lookbackWindow)}); the budget share is kept`,
        );
    }
    return { ...base, budgetPercent: bp };
  }

  /** Slack targets of a policy bind a channel to the team of the SLO's service. */
  private targets(p: { metadata: Obj; spec: Obj; c: Ctx; prefix: string }, service: string): boolean {
    const list = p.spec.notificationTargets ?? [];
    if (!Array.isArray(list)) return !!p.c.err(`${p.prefix}spec.notificationTargets`, "must be a list");
    for (const [i, item] of list.entries()) {
      const path = `${p.prefix}spec.notificationTargets[${i}]`;
      let t: { metadata: Obj; spec: Obj; source: DocRef };
      if (isObj(item) && item.targetRef !== undefined) {
        const d = this.get("AlertNotificationTarget", item.targetRef);
        if (!d)
          return !!p.c.err(
            `${path}.targetRef`,
            `no AlertNotificationTarget named ${JSON.stringify(item.targetRef)} in this file`,
          );
        t = { metadata: d.metadata, spec: d.spec, source: ref(d) };
      } else if (isObj(item) && isObj(item.spec)) {
        t = { metadata: isObj(item.metadata) ? item.metadata : {}, spec: item.spec, source: p.c.doc };
      } else return !!p.c.err(path, "must be {targetRef: name} or an inline AlertNotificationTarget");
      const channel = slackChannelOf(t);
      if (channel)
        this.out.slack.push({
          channel,
          service,
          ...optional("team", ann(t.metadata, "team")),
          source: t.source,
        });
    }
    return true;
  }
}

const FIELD_OF: Record<string, string> = {
  name: "metadata.displayName",
  description: "spec.description",
  objectivePercent: "spec.objectives[0].target",
  priority: "metadata.annotations.burnrate.io/priority",
  journeyStep: "metadata.annotations.burnrate.io/journey-step",
  customerSegment: "metadata.annotations.burnrate.io/customer-segment",
  runbookUrl: "metadata.annotations.burnrate.io/runbook-url",
  alerting: "spec.alertPolicies",
  window: "spec.timeWindow",
  endpoint: "spec.indicator.metricSource.spec.endpoint",
  sli: "spec.indicator",
};

function optional<K extends string>(k: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [k]: v } as Record<K, string>);
}
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** One line per problem: "document 3 (SLO checkout-availability): field spec.objectives[0].target: …". */
export function describeIssue(i: ImportIssue): string {
  return `document ${i.document} (${i.kind} ${i.name}): field ${i.field}: ${i.message}`;
}
