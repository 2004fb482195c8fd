/** The OpenSLO DataSource kind and metric sources: Burnrate reads its own request logs only. */
import { parseEndpoint } from "@burnrate/contracts";
import { METRIC_SOURCE_TYPES } from "../model";
import { isObj, type Doc, type Obj, type ParseScope } from "./document";
import type { Ctx } from "./issues";

/** A DataSource document of another type is kept out of the import with a warning. */
export function readDataSource(d: Doc, c: Ctx): void {
  const type = d.spec.type;
  if (typeof type !== "string" || !METRIC_SOURCE_TYPES.includes(type))
    c.warn(
      "spec.type",
      `data source type '${String(type)}' is not read by Burnrate (only ${METRIC_SOURCE_TYPES.join(", ")})`,
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
      `Burnrate evaluates its own request logs: the metric source type must be '${METRIC_SOURCE_TYPES[0]}' (got ${JSON.stringify(type ?? null)})`,
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
