/**
 * The OpenSLO Go SDK's v1 validation rules (github.com/OpenSLO/go-sdk, pkg/openslo/v1: objects.go, service.go,
 * sli.go, slo.go, alert_policy.go, alert_condition.go, alert_notification_target.go, duration_shorthand.go),
 * written out for the documents Burnrate exports. Lengths count characters (Go counts runes). A list the SDK
 * gives a minimum length is checked whether or not it is written. References must name a document of the file.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY = /^[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const ANNOTATION_KEY_LENGTH = /^(.{0,253}\/)?.{0,63}$/;
const ANNOTATION_KEY =
  /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*\/)?[a-zA-Z0-9]([-._a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
const DURATION = /^\d+[mhdwMQY]$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const OPERATORS = ["gt", "lt", "gte", "lte"];
const KINDS = [
  "SLO",
  "SLI",
  "DataSource",
  "Service",
  "AlertPolicy",
  "AlertCondition",
  "AlertNotificationTarget",
];

const chars = (s: string) => Array.from(s).length;
const present = (v: unknown) => v !== undefined && v !== null;

class Rules {
  readonly violations: string[] = [];
  constructor(private readonly where: string) {}
  fail(path: string, message: string): void {
    this.violations.push(`${this.where}: ${path}: ${message}`);
  }
  dnsLabel(path: string, v: unknown, required = true): void {
    if (!present(v) || v === "") {
      if (required) this.fail(path, "is required");
      return;
    }
    if (typeof v !== "string" || v.length > 63 || !DNS_LABEL.test(v))
      this.fail(path, `${JSON.stringify(v)} is not a DNS-1123 label of at most 63 characters`);
  }
  maxLength(path: string, v: unknown, max: number): void {
    if (typeof v === "string" && chars(v) > max) this.fail(path, `is ${chars(v)} characters, over ${max}`);
  }
  required(path: string, v: unknown): boolean {
    if (!present(v) || v === "") {
      this.fail(path, "is required");
      return false;
    }
    return true;
  }
  duration(path: string, v: unknown, required: boolean): void {
    if (!present(v)) {
      if (required) this.fail(path, "is required");
      return;
    }
    if (typeof v !== "string" || !DURATION.test(v))
      this.fail(path, `${JSON.stringify(v)} is not [0-9]+[mhdwMQY]`);
  }
  exactlyOne(path: string, o: Obj, keys: string[]): void {
    const set = keys.filter((k) => present(o[k]));
    if (set.length !== 1)
      this.fail(path, `exactly one of ${keys.join(", ")} must be set (got ${set.join(", ") || "none"})`);
  }
}

function metadata(r: Rules, path: string, m: unknown): void {
  if (!isObj(m)) return r.fail(path, "is required");
  r.dnsLabel(`${path}.name`, m.name);
  r.maxLength(`${path}.displayName`, m.displayName, 63);
  if (isObj(m.labels))
    for (const k of Object.keys(m.labels)) if (!LABEL_KEY.test(k)) r.fail(`${path}.labels`, `bad key ${k}`);
  if (isObj(m.annotations))
    for (const k of Object.keys(m.annotations))
      if (!ANNOTATION_KEY_LENGTH.test(k) || !ANNOTATION_KEY.test(k))
        r.fail(`${path}.annotations`, `bad key ${k}`);
}

function metric(r: Rules, path: string, m: unknown): void {
  if (!isObj(m) || !isObj(m.metricSource)) return r.fail(`${path}.metricSource`, "is required");
  r.dnsLabel(`${path}.metricSource.metricSourceRef`, m.metricSource.metricSourceRef, false);
  const spec = m.metricSource.spec;
  if (!isObj(spec) || Object.keys(spec).length < 1)
    r.fail(`${path}.metricSource.spec`, "needs at least one key");
}

function sliSpec(r: Rules, path: string, s: unknown): void {
  if (!isObj(s)) return r.fail(path, "is required");
  r.maxLength(`${path}.description`, s.description, 1050);
  r.exactlyOne(path, s, ["thresholdMetric", "ratioMetric"]);
  if (present(s.thresholdMetric)) metric(r, `${path}.thresholdMetric`, s.thresholdMetric);
  const rm = s.ratioMetric;
  if (isObj(rm)) {
    r.exactlyOne(`${path}.ratioMetric`, rm, ["total", "raw"]);
    if (present(rm.total)) {
      r.exactlyOne(`${path}.ratioMetric`, rm, ["good", "bad"]);
      for (const k of ["total", "good", "bad"])
        if (present(rm[k])) metric(r, `${path}.ratioMetric.${k}`, rm[k]);
    }
  }
}

function conditionSpec(r: Rules, path: string, s: unknown): void {
  if (!isObj(s)) return r.fail(path, "is required");
  r.maxLength(`${path}.description`, s.description, 1050);
  r.required(`${path}.severity`, s.severity);
  const c = s.condition;
  if (!isObj(c)) return r.fail(`${path}.condition`, "is required");
  if (c.kind !== "burnrate") r.fail(`${path}.condition.kind`, "must be burnrate");
  if (!OPERATORS.includes(String(c.op)))
    r.fail(`${path}.condition.op`, `must be one of ${OPERATORS.join(", ")}`);
  if (typeof c.threshold !== "number") r.fail(`${path}.condition.threshold`, "is required (a number)");
  r.duration(`${path}.condition.lookbackWindow`, c.lookbackWindow, true);
  r.duration(`${path}.condition.alertAfter`, c.alertAfter, false);
}

function targetSpec(r: Rules, path: string, s: unknown): void {
  if (!isObj(s)) return r.fail(path, "is required");
  r.required(`${path}.target`, s.target);
  r.maxLength(`${path}.description`, s.description, 1050);
}

function policySpec(r: Rules, path: string, s: unknown, refs: Refs): void {
  if (!isObj(s)) return r.fail(path, "is required");
  r.maxLength(`${path}.description`, s.description, 1050);
  const conds = Array.isArray(s.conditions) ? s.conditions : [];
  if (conds.length !== 1) r.fail(`${path}.conditions`, `must hold exactly 1 condition (got ${conds.length})`);
  conds.forEach((c, i) => {
    const p = `${path}.conditions[${i}]`;
    if (!isObj(c)) return r.fail(p, "must be a mapping");
    r.exactlyOne(p, c, ["conditionRef", "spec"]);
    if (present(c.conditionRef)) {
      r.dnsLabel(`${p}.conditionRef`, c.conditionRef);
      refs.need("AlertCondition", c.conditionRef, `${p}.conditionRef`, r);
    } else {
      if (c.kind !== "AlertCondition") r.fail(`${p}.kind`, "must be AlertCondition");
      metadata(r, `${p}.metadata`, c.metadata);
      conditionSpec(r, `${p}.spec`, c.spec);
    }
  });
  const targets = Array.isArray(s.notificationTargets) ? s.notificationTargets : [];
  if (targets.length < 1) r.fail(`${path}.notificationTargets`, "must hold at least 1 target");
  targets.forEach((t, i) => {
    const p = `${path}.notificationTargets[${i}]`;
    if (!isObj(t)) return r.fail(p, "must be a mapping");
    r.exactlyOne(p, t, ["targetRef", "spec"]);
    if (present(t.targetRef)) {
      r.dnsLabel(`${p}.targetRef`, t.targetRef);
      refs.need("AlertNotificationTarget", t.targetRef, `${p}.targetRef`, r);
    } else {
      if (t.kind !== "AlertNotificationTarget") r.fail(`${p}.kind`, "must be AlertNotificationTarget");
      metadata(r, `${p}.metadata`, t.metadata);
      targetSpec(r, `${p}.spec`, t.spec);
    }
  });
}

function sloSpec(r: Rules, path: string, s: unknown, refs: Refs): void {
  if (!isObj(s)) return r.fail(path, "is required");
  r.maxLength(`${path}.description`, s.description, 1050);
  if (r.required(`${path}.service`, s.service)) refs.need("Service", s.service, `${path}.service`, r);
  if (!["Occurrences", "Timeslices", "RatioTimeslices"].includes(String(s.budgetingMethod)))
    r.fail(`${path}.budgetingMethod`, "must be Occurrences, Timeslices or RatioTimeslices");
  const tw = Array.isArray(s.timeWindow) ? s.timeWindow : [];
  if (tw.length !== 1) r.fail(`${path}.timeWindow`, `must hold exactly 1 window (got ${tw.length})`);
  tw.forEach((w, i) => {
    const p = `${path}.timeWindow[${i}]`;
    if (!isObj(w)) return r.fail(p, "must be a mapping");
    if (w.isRolling === true && present(w.calendar))
      r.fail(p, "'calendar' cannot be set when 'isRolling' is true");
    if (w.isRolling !== true && !present(w.calendar))
      r.fail(p, "'calendar' must be set when 'isRolling' is false");
    r.duration(`${p}.duration`, w.duration, true);
    if (isObj(w.calendar)) {
      const st = w.calendar.startTime;
      if (present(st) && (typeof st !== "string" || !DATE_TIME.test(st)))
        r.fail(`${p}.calendar.startTime`, "must be a date-time 2006-01-02 15:04:05");
      const tz = w.calendar.timeZone;
      if (present(tz)) {
        try {
          new Intl.DateTimeFormat("en", { timeZone: String(tz) });
        } catch {
          r.fail(`${p}.calendar.timeZone`, `${String(tz)} is not a time zone`);
        }
      }
    }
  });
  r.exactlyOne(path, s, ["indicator", "indicatorRef"]);
  if (present(s.indicatorRef)) {
    r.dnsLabel(`${path}.indicatorRef`, s.indicatorRef);
    refs.need("SLI", s.indicatorRef, `${path}.indicatorRef`, r);
  }
  if (isObj(s.indicator)) {
    metadata(r, `${path}.indicator.metadata`, s.indicator.metadata);
    sliSpec(r, `${path}.indicator.spec`, s.indicator.spec);
  }
  const objectives = Array.isArray(s.objectives) ? s.objectives : [];
  objectives.forEach((o, i) => {
    const p = `${path}.objectives[${i}]`;
    if (!isObj(o)) return r.fail(p, "must be a mapping");
    r.exactlyOne(p, o, ["target", "targetPercent"]);
    if (present(o.target) && !(typeof o.target === "number" && o.target >= 0 && o.target < 1))
      r.fail(`${p}.target`, "must be ≥ 0 and < 1");
    if (
      present(o.targetPercent) &&
      !(typeof o.targetPercent === "number" && o.targetPercent >= 0 && o.targetPercent < 100)
    )
      r.fail(`${p}.targetPercent`, "must be ≥ 0 and < 100");
    if (s.budgetingMethod === "Timeslices") {
      const t = o.timeSliceTarget;
      if (!(typeof t === "number" && t > 0 && t <= 1))
        r.fail(`${p}.timeSliceTarget`, "is required, > 0 and ≤ 1");
      r.duration(`${p}.timeSliceWindow`, o.timeSliceWindow, true);
    }
    if (present(o.op) && !OPERATORS.includes(String(o.op))) r.fail(`${p}.op`, "is not an operator");
  });
  const policies = Array.isArray(s.alertPolicies) ? s.alertPolicies : [];
  policies.forEach((a, i) => {
    const p = `${path}.alertPolicies[${i}]`;
    if (!isObj(a)) return r.fail(p, "must be a mapping");
    r.exactlyOne(p, a, ["alertPolicyRef", "spec"]);
    if (present(a.alertPolicyRef)) {
      r.dnsLabel(`${p}.alertPolicyRef`, a.alertPolicyRef);
      refs.need("AlertPolicy", a.alertPolicyRef, `${p}.alertPolicyRef`, r);
    } else {
      if (a.kind !== "AlertPolicy") r.fail(`${p}.kind`, "must be AlertPolicy");
      metadata(r, `${p}.metadata`, a.metadata);
      policySpec(r, `${p}.spec`, a.spec, refs);
    }
  });
}

class Refs {
  private readonly names = new Set<string>();
  private readonly wanted: { key: string; path: string; r: Rules }[] = [];
  add(kind: string, name: unknown): void {
    this.names.add(`${kind}/${String(name)}`);
  }
  need(kind: string, name: unknown, path: string, r: Rules): void {
    this.wanted.push({ key: `${kind}/${String(name)}`, path, r });
  }
  check(): void {
    for (const w of this.wanted)
      if (!this.names.has(w.key)) w.r.fail(w.path, `names no ${w.key.replace("/", " ")} of the file`);
  }
}

/** Every violation of the Go SDK's v1 rules in a list of parsed documents, one line each ("" when none). */
export function goSdkViolations(docs: unknown[]): string[] {
  const refs = new Refs();
  const all: Rules[] = [];
  const seen = new Set<string>();
  docs.forEach((d, i) => {
    const r = new Rules(`document ${i + 1}`);
    all.push(r);
    if (!isObj(d)) return r.fail("(document)", "must be a mapping");
    if (d.apiVersion !== "openslo/v1") r.fail("apiVersion", "must be openslo/v1");
    if (!KINDS.includes(String(d.kind))) return r.fail("kind", `${String(d.kind)} is not a v1 kind`);
    metadata(r, "metadata", d.metadata);
    const name = isObj(d.metadata) ? d.metadata.name : undefined;
    const key = `${String(d.kind)}/${String(name)}`;
    if (seen.has(key)) r.fail("metadata.name", `a second ${key}`);
    seen.add(key);
    refs.add(String(d.kind), name);
    const spec = d.spec;
    switch (d.kind) {
      case "Service":
        if (isObj(spec)) r.maxLength("spec.description", spec.description, 1050);
        break;
      case "SLI":
        sliSpec(r, "spec", spec);
        break;
      case "AlertCondition":
        conditionSpec(r, "spec", spec);
        break;
      case "AlertNotificationTarget":
        targetSpec(r, "spec", spec);
        break;
      case "AlertPolicy":
        policySpec(r, "spec", spec, refs);
        break;
      case "SLO":
        sloSpec(r, "spec", spec, refs);
        break;
    }
  });
  refs.check();
  return all.flatMap((r) => r.violations);
}
