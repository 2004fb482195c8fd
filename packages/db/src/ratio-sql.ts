/**
 * Compiles ratio-SLI filters (`@burnrate/ingest/filter`) to SQL over `request_rollups`.
 *
 * A rollup row is (service, endpoint, region, minute, status) with a count and a latency histogram. A filter
 * is a predicate over (status, method, route, region, durationMs); every field but durationMs is constant
 * within a row. So the count of requests that match is the sum, over the row's histogram buckets, of the
 * bucket's count where the predicate holds for that bucket. durationMs atoms are `durationMs <= B` or
 * `durationMs > B` with B a histogram bound (the parser refuses the rest), so "bucket i holds only durations
 * ≤ B" is exact: the buckets are (bound[i-1], bound[i]]. This stays exact when durationMs is mixed with other
 * fields through and/or/not. A filter without durationMs uses the row count directly.
 *
 * Values never enter the SQL text: every literal is a bind parameter.
 */
import { LATENCY_BOUNDS_MS, type SliSpec } from "@burnrate/contracts";
import { parseFilter, type FilterNode } from "@burnrate/ingest/filter";

export interface RatioSql {
  /** Aggregate expression (int) of good requests per group: good AND total. */
  good: string;
  /** Aggregate expression (int) of total requests per group. */
  total: string;
  /** Values of the bind parameters, numbered from `firstParam`. */
  params: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  constructor(private readonly first: number) {}
  add(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.first + this.values.length - 1}::${cast}`;
  }
}

function usesDuration(n: FilterNode): boolean {
  switch (n.type) {
    case "cmp":
    case "in":
      return n.field === "durationMs";
    case "not":
      return usesDuration(n.item);
    case "and":
    case "or":
      return n.items.some(usesDuration);
    default:
      return false;
  }
}

/**
 * SQL boolean of a filter, evaluated on a `request_rollups` row (unqualified columns `status`, `endpoint_id`,
 * `region_id`) and, when `bucket` names a column, on one histogram bucket (1-based index).
 */
export function filterToSql(n: FilterNode, p: Params, bucket: string | null): string {
  switch (n.type) {
    case "true":
      return "TRUE";
    case "and":
      return `(${n.items.map((i) => filterToSql(i, p, bucket)).join(" AND ")})`;
    case "or":
      return `(${n.items.map((i) => filterToSql(i, p, bucket)).join(" OR ")})`;
    case "not":
      return `(NOT ${filterToSql(n.item, p, bucket)})`;
    case "in": {
      const sql = fieldIn(n.field, n.values, p);
      return n.negated ? `(NOT ${sql})` : sql;
    }
    case "cmp": {
      if (n.field === "durationMs") {
        if (bucket === null) throw new Error("durationMs needs the histogram");
        const k = LATENCY_BOUNDS_MS.indexOf(n.value as number);
        if (k < 0 || (n.op !== "<=" && n.op !== ">"))
          throw new Error(`durationMs ${n.op} ${String(n.value)} is not exact on the histogram`);
        // Buckets 1..k+1 (1-based) hold durations <= bound[k].
        return n.op === "<="
          ? `(${bucket} <= ${p.add(k + 1, "int")})`
          : `(${bucket} > ${p.add(k + 1, "int")})`;
      }
      if (n.field === "status") return `(status ${n.op} ${p.add(n.value, "int")})`;
      if (n.op !== "=" && n.op !== "!=") throw new Error(`operator ${n.op} does not apply to ${n.field}`);
      const eq = fieldIn(n.field, [n.value], p);
      return n.op === "=" ? eq : `(NOT ${eq})`;
    }
  }
}

function fieldIn(field: string, values: (string | number)[], p: Params): string {
  switch (field) {
    case "status":
      return `(status = ANY(${p.add(values.map(Number), "int[]")}))`;
    case "method":
      return `(endpoint_id IN (SELECT id FROM endpoints WHERE method = ANY(${p.add(
        values.map((v) => String(v).toUpperCase()),
        "text[]",
      )})))`;
    case "route":
      return `(endpoint_id IN (SELECT id FROM endpoints WHERE route = ANY(${p.add(values.map(String), "text[]")})))`;
    case "region":
      return `(region_id IN (SELECT id FROM regions WHERE slug = ANY(${p.add(values.map(String), "text[]")})))`;
    default:
      throw new Error(`field '${field}' cannot be evaluated from rollups`);
  }
}

/** Aggregate expression counting the requests of a group that match `n`. */
function countMatching(n: FilterNode, p: Params): string {
  if (n.type === "true") return "coalesce(sum(count), 0)";
  if (!usesDuration(n)) return `coalesce(sum(count) FILTER (WHERE ${filterToSql(n, p, null)}), 0)`;
  return `coalesce(sum((SELECT coalesce(sum(h.c), 0) FROM unnest(latency) WITH ORDINALITY AS h(c, i) WHERE ${filterToSql(
    n,
    p,
    "h.i",
  )})), 0)`;
}

/** good/total aggregate expressions of a ratio SLI over request_rollups, with bind parameters from `firstParam`. */
export function ratioSliSql(sli: Extract<SliSpec, { type: "ratio" }>, firstParam: number): RatioSql {
  const good = parseFilter(sli.good);
  const total = parseFilter(sli.total);
  const p = new Params(firstParam);
  const totalSql = countMatching(total, p);
  const goodNode: FilterNode =
    total.type === "true" ? good : good.type === "true" ? total : { type: "and", items: [good, total] };
  const goodSql = countMatching(goodNode, p);
  return { good: goodSql, total: totalSql, params: p.values };
}

export { Params as SqlParams };
