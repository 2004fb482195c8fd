/**
 * The OpenSLO SLI kind (inline indicator or indicatorRef) → a Burnrate SLI: a thresholdMetric on durationMs is
 * a latency SLI (threshold from the objective), a ratioMetric with good (or bad) and total filters is a ratio
 * SLI, or an availability SLI when marked with the annotation burnrate.io/sli: availability. A ratioMetric whose
 * metric sources are Prometheus is a Prometheus-sourced SLI (its queries and server).
 */
import type { CreateSloBody } from "@burnrate/contracts";
import { printFilter, type FilterNode } from "@burnrate/ingest/filter";
import { ann } from "./annotations";
import { isPrometheusSource, readMetricSource, readPrometheusSource } from "./data-source";
import { isObj, type Obj, type ParseScope, type Part } from "./document";
import { readFilter } from "./filter";
import type { Ctx } from "./issues";

export function readSli(
  x: Part,
  sloC: Ctx,
  /** The SLO's objective; null to check an SLI that no SLO uses. */
  obj: Obj | null,
  service: string,
  scope: ParseScope,
): { sli: CreateSloBody["sli"]; endpoint: string | null } | null {
  const { spec, c, prefix } = x;
  if ((spec.thresholdMetric === undefined) === (spec.ratioMetric === undefined))
    return c.err(`${prefix}ratioMetric`, "an SLI needs exactly one of thresholdMetric or ratioMetric");
  if (spec.thresholdMetric !== undefined) {
    const tm = spec.thresholdMetric;
    const ms = isObj(tm)
      ? readMetricSource(tm.metricSource, c, `${prefix}thresholdMetric.metricSource`, scope, "field")
      : null;
    if (!isObj(tm)) return c.err(`${prefix}thresholdMetric`, "must be a mapping with a metricSource");
    if (!ms) return null;
    if (ms.spec.field !== "durationMs")
      return c.err(
        `${prefix}thresholdMetric.metricSource.spec.field`,
        `must be 'durationMs': Burnrate threshold SLIs measure request duration (got ${JSON.stringify(ms.spec.field ?? null)})`,
      );
    if (obj === null) return { sli: { type: "latency", thresholdMs: 1 }, endpoint: ms.endpoint };
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
  if (obj && (obj.op !== undefined || obj.value !== undefined))
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
  if (isPrometheusSource(leafG.metricSource, scope) || isPrometheusSource(leafT.metricSource, scope)) {
    const g = readPrometheusSource(leafG.metricSource, c, `${p}.${which}.metricSource`, scope);
    const t = readPrometheusSource(leafT.metricSource, c, `${p}.total.metricSource`, scope);
    if (!g || !t) return null;
    if (g.url !== t.url)
      return c.err(
        `${p}.total.metricSource.spec.url`,
        `must be the same Prometheus as the ${which} query's (${g.url})`,
      );
    return { sli: { type: "prometheus", url: t.url, [which]: g.query, total: t.query }, endpoint: null };
  }
  const g = readMetricSource(leafG.metricSource, c, `${p}.${which}.metricSource`, scope, "filter");
  const t = readMetricSource(leafT.metricSource, c, `${p}.total.metricSource`, scope, "filter");
  if (!g || !t) return null;
  if (g.endpoint !== null && g.endpoint !== t.endpoint)
    return c.err(
      `${p}.${which}.metricSource.spec.endpoint`,
      `must equal the total's endpoint (${JSON.stringify(t.endpoint)})`,
    );
  const gf = readFilter(g.spec.filter, c, `${p}.${which}.metricSource.spec.filter`, service);
  const tf = readFilter(t.spec.filter, c, `${p}.total.metricSource.spec.filter`, service);
  if (!gf || !tf) return null;
  if (ann(x.metadata, "sli") === "availability")
    return { sli: { type: "availability" }, endpoint: t.endpoint };
  const good: FilterNode = which === "good" ? gf : { type: "not", item: gf };
  return { sli: { type: "ratio", good: printFilter(good), total: printFilter(tf) }, endpoint: t.endpoint };
}
