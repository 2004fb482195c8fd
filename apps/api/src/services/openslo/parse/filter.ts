/** The filter of a ratio SLI's metric source, read with the filter language and scoped to the SLO's service. */
import { FilterError, filterFields, parseFilter, type FilterNode } from "@burnrate/ingest/filter";
import type { Ctx } from "./issues";

/**
 * Parses a filter; `service = "<the SLO's service>"` conjuncts are dropped (the SLO is scoped to it). With
 * service "" (an SLI no SLO uses) any one service is accepted.
 */
export function readFilter(src: unknown, c: Ctx, path: string, service: string): FilterNode | null {
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
  const other = (x: FilterNode) => isOwn(x) && service !== "" && (x as { value: unknown }).value !== service;
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
