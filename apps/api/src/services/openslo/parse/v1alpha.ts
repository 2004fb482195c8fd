/** OpenSLO v1alpha (as Sloth writes it) read as v1, by rewriting the SLO document in place. */
import { isObj, type Doc } from "./document";
import type { Ctx } from "./issues";

const V1ALPHA_UNITS: Record<string, string> = {
  Minute: "m",
  Hour: "h",
  Day: "d",
  Week: "w",
  Month: "M",
  Quarter: "Q",
  Year: "Y",
};
/**
 * v1alpha → v1: timeWindows[].count/unit, objectives[].ratioMetrics, indicator.thresholdMetric.source/query.
 * A ratio objective's `value` (which v1alpha's Go SDK requires, and which means nothing for a ratio) is dropped
 * with a warning.
 */
export function fromV1alpha(d: Doc, c: Ctx): void {
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
  // A Prometheus query stays a query (spec.query); Burnrate's request logs read it as a filter or a field.
  const leaf = (m: unknown, key: "filter" | "field") =>
    isObj(m)
      ? {
          metricSource: {
            type: m.source,
            spec: {
              [typeof m.source === "string" && m.source.toLowerCase() === "prometheus" ? "query" : key]:
                m.query,
            },
          },
        }
      : m;
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
    objectives.forEach((o, i) => {
      if (!isObj(o)) return;
      delete o.ratioMetrics;
      if (o.value !== undefined && o.op === undefined) {
        c.warn(
          `spec.objectives[${i}].value`,
          `ignored: ${JSON.stringify(o.value)} is a threshold, and a ratio objective has none`,
        );
        delete o.value;
      }
    });
  }
  // v1alpha writes the threshold metric right under the indicator; v1 under indicator.spec
  if (isObj(indicator.thresholdMetric) && ispec.thresholdMetric === undefined) {
    ispec.thresholdMetric = indicator.thresholdMetric;
    delete indicator.thresholdMetric;
  }
  if (isObj(ispec.thresholdMetric) && !("metricSource" in ispec.thresholdMetric))
    ispec.thresholdMetric = leaf(ispec.thresholdMetric, "field");
  if (s.indicator !== undefined || isObj(ratio)) s.indicator = { ...indicator, spec: ispec };
}
