import type { FilterNode, FilterValue } from "./filter-ast";

export interface FilterRecord {
  status: number;
  method: string;
  route: string;
  region: string;
  durationMs: number;
  [extra: string]: string | number;
}

/** Evaluates a filter on one request (tests, previews). */
export function evaluateFilter(n: FilterNode, r: FilterRecord): boolean {
  switch (n.type) {
    case "true":
      return true;
    case "and":
      return n.items.every((i) => evaluateFilter(i, r));
    case "or":
      return n.items.some((i) => evaluateFilter(i, r));
    case "not":
      return !evaluateFilter(n.item, r);
    case "in": {
      const hit = n.values.some((v) => same(n.field, r[n.field], v));
      return n.negated ? !hit : hit;
    }
    case "cmp": {
      const a = r[n.field];
      if (a === undefined) return false;
      switch (n.op) {
        case "=":
          return same(n.field, a, n.value);
        case "!=":
          return !same(n.field, a, n.value);
        case "<":
          return a < n.value;
        case "<=":
          return a <= n.value;
        case ">":
          return a > n.value;
        case ">=":
          return a >= n.value;
      }
    }
  }
}
function same(field: string, a: string | number | undefined, b: FilterValue): boolean {
  if (field === "method" && typeof a === "string" && typeof b === "string")
    return a.toUpperCase() === b.toUpperCase();
  return a === b;
}

/** Fields a filter mentions. */
export function filterFields(n: FilterNode): Set<string> {
  const out = new Set<string>();
  const walk = (x: FilterNode): void => {
    if (x.type === "cmp" || x.type === "in") out.add(x.field);
    else if (x.type === "not") walk(x.item);
    else if (x.type === "and" || x.type === "or") x.items.forEach(walk);
  };
  walk(n);
  return out;
}
