/**
 * The keys each OpenSLO kind may hold, per version (after the OpenSLO specification and its Go SDK's types).
 * A key outside them is refused with its path, as the API refuses an unknown field: a misspelled key
 * (`alertpolicies`) must not silently change what an import means. Keys that OpenSLO defines but Burnrate
 * does not read are the readers' business: each is supported, refused or warned about there.
 */
import { isObj, type Obj } from "./document";
import type { Ctx } from "./issues";

/** A mapping's keys and what each holds; `ANY` for a value of any shape (free-form specs, annotations). */
interface Shape {
  [key: string]: Shape | Item | typeof ANY | typeof LEAF;
}
/** A list whose items have the shape. */
interface Item {
  item: Shape;
}
const ANY = "any";
const LEAF = "leaf";

const list = (item: Shape): Item => ({ item });
const isItem = (v: unknown): v is Item => isObj(v) && "item" in v && Object.keys(v).length === 1;

const METADATA: Shape = { name: LEAF, displayName: LEAF, labels: ANY, annotations: ANY };
const METRIC_SOURCE: Shape = { metricSourceRef: LEAF, type: LEAF, spec: ANY };
const METRIC: Shape = { metricSource: METRIC_SOURCE };
const SLI_SPEC: Shape = {
  description: LEAF,
  thresholdMetric: METRIC,
  ratioMetric: { counter: LEAF, good: METRIC, bad: METRIC, total: METRIC, raw: METRIC, rawType: LEAF },
};
const CONDITION_SPEC: Shape = {
  description: LEAF,
  severity: LEAF,
  condition: { kind: LEAF, op: LEAF, threshold: LEAF, lookbackWindow: LEAF, alertAfter: LEAF },
};
const TARGET_SPEC: Shape = { description: LEAF, target: LEAF };
const POLICY_SPEC: Shape = {
  description: LEAF,
  alertWhenNoData: LEAF,
  alertWhenBreaching: LEAF,
  alertWhenResolved: LEAF,
  conditions: list({ conditionRef: LEAF, kind: LEAF, metadata: METADATA, spec: CONDITION_SPEC }),
  notificationTargets: list({ targetRef: LEAF, kind: LEAF, metadata: METADATA, spec: TARGET_SPEC }),
};
const CALENDAR: Shape = { startTime: LEAF, timeZone: LEAF };
const INDICATOR: Shape = { metadata: METADATA, spec: SLI_SPEC };

const V1_SPECS: Record<string, Shape> = {
  Service: { description: LEAF },
  DataSource: { description: LEAF, type: LEAF, connectionDetails: ANY },
  SLI: SLI_SPEC,
  AlertCondition: CONDITION_SPEC,
  AlertNotificationTarget: TARGET_SPEC,
  AlertPolicy: POLICY_SPEC,
  SLO: {
    description: LEAF,
    service: LEAF,
    indicator: INDICATOR,
    indicatorRef: LEAF,
    timeWindow: list({ duration: LEAF, isRolling: LEAF, calendar: CALENDAR }),
    budgetingMethod: LEAF,
    objectives: list({
      displayName: LEAF,
      op: LEAF,
      value: LEAF,
      target: LEAF,
      targetPercent: LEAF,
      timeSliceTarget: LEAF,
      timeSliceWindow: LEAF,
      indicator: INDICATOR,
      indicatorRef: LEAF,
      compositeWeight: LEAF,
    }),
    alertPolicies: list({ alertPolicyRef: LEAF, kind: LEAF, metadata: METADATA, spec: POLICY_SPEC }),
  },
};

/** v1alpha's query leaf: a metric of another tool (source, queryType, query), optionally with metadata. */
const V1ALPHA_METRIC: Shape = { source: LEAF, queryType: LEAF, query: LEAF, metadata: ANY };
const V1ALPHA_SPECS: Record<string, Shape> = {
  Service: { description: LEAF },
  SLO: {
    description: LEAF,
    service: LEAF,
    indicator: { thresholdMetric: V1ALPHA_METRIC },
    timeWindows: list({ unit: LEAF, count: LEAF, isRolling: LEAF, calendar: CALENDAR }),
    budgetingMethod: LEAF,
    objectives: list({
      displayName: LEAF,
      op: LEAF,
      value: LEAF,
      target: LEAF,
      timeSliceTarget: LEAF,
      ratioMetrics: {
        counter: LEAF,
        incremental: LEAF,
        good: V1ALPHA_METRIC,
        bad: V1ALPHA_METRIC,
        total: V1ALPHA_METRIC,
      },
    }),
  },
};

/** The kinds of a version (v1alpha has only Service and SLO). */
export function kindsOf(apiVersion: string): string[] {
  return Object.keys(apiVersion === "openslo/v1alpha" ? V1ALPHA_SPECS : V1_SPECS);
}

/** Records an error for each key of the document that its kind does not have, with its path. */
export function checkKnownKeys(doc: Obj, apiVersion: string, kind: string, c: Ctx): void {
  const spec = (apiVersion === "openslo/v1alpha" ? V1ALPHA_SPECS : V1_SPECS)[kind];
  if (spec)
    walk(doc, { apiVersion: LEAF, kind: LEAF, metadata: METADATA, spec }, "", c, `${apiVersion} ${kind}`);
}

function walk(v: unknown, shape: Shape, path: string, c: Ctx, what: string): void {
  if (!isObj(v)) return; // the readers name a value of the wrong type
  for (const [k, sub] of Object.entries(v)) {
    const p = path ? `${path}.${k}` : k;
    const expected = Object.hasOwn(shape, k) ? shape[k] : undefined;
    if (expected === undefined) {
      const known = Object.keys(shape);
      const near = known.find((x) => x.toLowerCase() === k.toLowerCase());
      c.err(
        p,
        `unknown key '${k}' in ${what}${near ? ` (did you mean '${near}'?)` : ""}; known keys here: ${known.join(", ")}`,
      );
      continue;
    }
    if (expected === ANY || expected === LEAF) continue;
    if (isItem(expected)) {
      if (Array.isArray(sub)) sub.forEach((x, i) => walk(x, expected.item, `${p}[${i}]`, c, what));
    } else walk(sub, expected, p, c, what);
  }
}
