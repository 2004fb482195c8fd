/** The filter language's syntax tree and its error (the grammar is in parse-filter.ts). */

export const FILTER_FIELDS = ["status", "method", "route", "region", "durationMs"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type FilterValue = number | string;

export type FilterNode =
  | { type: "true" }
  | { type: "and"; items: FilterNode[] }
  | { type: "or"; items: FilterNode[] }
  | { type: "not"; item: FilterNode }
  | { type: "cmp"; field: string; op: CompareOp; value: FilterValue; pos: number }
  | { type: "in"; field: string; negated: boolean; values: FilterValue[]; pos: number };

export class FilterError extends Error {
  constructor(
    readonly reason: string,
    /** 1-based character position in the filter text. */
    readonly position: number,
  ) {
    super(`${reason} at position ${position}`);
    this.name = "FilterError";
  }
}
