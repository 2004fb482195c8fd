/**
 * The OpenSLO DataSource kind and metric sources: Burnrate's own request logs, or Prometheus (ratio metrics whose
 * good or bad and total are PromQL queries, read by the worker from that Prometheus).
 */
import { parseEndpoint } from "@burnrate/contracts";
import { promQueryProblem } from "@burnrate/ingest";
import { METRIC_SOURCE_TYPES } from "../model";
import { isObj, type Doc, type Obj, type ParseScope } from "./document";
import type { Ctx } from "./issues";

/** A DataSource document of another type is kept out of the import with a warning. */
export function readDataSource(d: Doc, c: Ctx): void {
  const type = d.spec.type;
  if (isPrometheusType(type)) return;
  if (typeof type !== "string" || !METRIC_SOURCE_TYPES.includes(type))
    c.warn(
      "spec.type",
      `data source type '${String(type)}' is not read by Burnrate (only ${METRIC_SOURCE_TYPES.join(", ")} and Prometheus)`,
    );
}

/** A metricSource (inline type, or a metricSourceRef to a DataSource of the file), with its endpoint. */
export function readMetricSource(
  ms: unknown,
  c: Ctx,
  path: string,
  scope: ParseScope,
  /** The spec keys this use reads besides endpoint: filter (ratio) or field (threshold). */
  reads: "filter" | "field",
): { spec: Obj; endpoint: string | null } | null {
  if (!isObj(ms)) return c.err(path, "is required: {type: burnrate.requests, spec: {…}}");
  let type = ms.type;
  if (type === undefined && ms.metricSourceRef !== undefined) {
    const ds = scope.get("DataSource", ms.metricSourceRef);
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
      `the metric source type must be '${METRIC_SOURCE_TYPES[0]}' (Burnrate's request logs), or Prometheus for a ratioMetric's good or bad and total queries (got ${JSON.stringify(type ?? null)})`,
    );
  if (!isObj(ms.spec)) return c.err(`${path}.spec`, "is required");
  for (const k of Object.keys(ms.spec))
    if (k !== reads && k !== "endpoint")
      return c.err(
        `${path}.spec.${k}`,
        `unknown key '${k}': a ${reads === "filter" ? "ratio" : "threshold"} metric of Burnrate's request logs reads ${reads} and endpoint`,
      );
  const ep = ms.spec.endpoint;
  if (ep !== undefined && (typeof ep !== "string" || !parseEndpoint(ep)))
    return c.err(
      `${path}.spec.endpoint`,
      `must be 'METHOD /route', e.g. 'GET /cart' (got ${JSON.stringify(ep)})`,
    );
  return { spec: ms.spec, endpoint: typeof ep === "string" ? ep : null };
}

const isPrometheusType = (t: unknown) => typeof t === "string" && t.toLowerCase() === "prometheus";

/** A metric source's type, written inline or on the DataSource its metricSourceRef names (undefined: neither). */
function sourceType(ms: Obj, scope: ParseScope): unknown {
  if (ms.type !== undefined) return ms.type;
  return ms.metricSourceRef !== undefined
    ? scope.get("DataSource", ms.metricSourceRef)?.spec.type
    : undefined;
}

/** Whether a metricSource reads Prometheus (inline `type: Prometheus`, or a DataSource of that type). */
export function isPrometheusSource(ms: unknown, scope: ParseScope): boolean {
  return isObj(ms) && isPrometheusType(sourceType(ms, scope));
}

/**
 * A Prometheus metricSource: `spec.query` (a counter selector, or a rate expression with `{{.window}}`) and the
 * server's URL, from `spec.url` or the referenced DataSource's `connectionDetails.url`.
 */
export function readPrometheusSource(
  ms: unknown,
  c: Ctx,
  path: string,
  scope: ParseScope,
): { query: string; url: string } | null {
  if (!isObj(ms) || !isPrometheusSource(ms, scope))
    return c.err(`${path}.type`, "must be Prometheus, as the other metric of this ratio");
  const spec = isObj(ms.spec) ? ms.spec : null;
  if (!spec) return c.err(`${path}.spec`, "is required: {query: <PromQL>}");
  for (const k of Object.keys(spec))
    if (k !== "query" && k !== "url")
      return c.err(`${path}.spec.${k}`, `unknown key '${k}': a Prometheus metric source reads query and url`);
  const query = typeof spec.query === "string" ? spec.query.trim() : "";
  if (!query) return c.err(`${path}.spec.query`, "is required: a PromQL query");
  const problem = promQueryProblem(query);
  if (problem) return c.err(`${path}.spec.query`, problem);
  const ds = ms.metricSourceRef !== undefined ? scope.get("DataSource", ms.metricSourceRef) : undefined;
  if (ms.metricSourceRef !== undefined && !ds)
    return c.err(
      `${path}.metricSourceRef`,
      `no DataSource named ${JSON.stringify(ms.metricSourceRef)} in this file`,
    );
  const fromDs = ds && isObj(ds.spec.connectionDetails) ? ds.spec.connectionDetails.url : undefined;
  const url = spec.url ?? fromDs;
  if (typeof url !== "string" || !/^https?:\/\/[^/@\s]+(\/\S*)?$/.test(url))
    return c.err(
      `${path}.spec.url`,
      `must be the Prometheus server's http(s) URL without credentials, here or in the DataSource's connectionDetails.url (got ${JSON.stringify(url ?? null)})`,
    );
  return { query, url };
}
