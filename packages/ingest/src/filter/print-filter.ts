import type { FilterNode, FilterValue } from "./filter-ast";
import { parseFilter } from "./parse-filter";

/** Canonical text of a filter. */
export function printFilter(n: FilterNode): string {
  switch (n.type) {
    case "true":
      return "true";
    case "cmp":
      return `${n.field} ${n.op} ${printValue(n.value)}`;
    case "in":
      return `${n.field} ${n.negated ? "not in" : "in"} (${n.values.map(printValue).join(", ")})`;
    case "not":
      return `not ${n.item.type === "and" || n.item.type === "or" ? `(${printFilter(n.item)})` : printFilter(n.item)}`;
    case "and":
      return n.items.map((i) => (i.type === "or" ? `(${printFilter(i)})` : printFilter(i))).join(" and ");
    case "or":
      return n.items.map(printFilter).join(" or ");
  }
}
function printValue(v: FilterValue): string {
  return typeof v === "number" ? String(v) : JSON.stringify(v);
}

/** Canonical text of a filter source, or the error. */
export function canonicalFilter(src: string): string {
  return printFilter(parseFilter(src));
}
