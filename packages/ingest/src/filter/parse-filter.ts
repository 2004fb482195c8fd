/**
 * The filter language of custom ratio SLIs (PRODUCT.md "Filters"): a boolean expression over the request
 * fields status, method, route, region and durationMs.
 *
 *   expr       := or
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | primary
 *   primary    := "(" expr ")" | "true" | comparison
 *   comparison := field ("=" | "!=" | "<" | "<=" | ">" | ">=") value
 *               | field ["not"] "in" "(" value ("," value)* ")"
 *   value      := number | "double-quoted string" (JSON escapes)
 *
 * Keywords and field names are case-insensitive (`AND` works); the printer writes the canonical form
 * (lowercase keywords, canonical field names, one space around operators), so `print(parse(print(x)))` is
 * `print(x)`. Positions in errors are 1-based character columns.
 *
 * Semantics: `method` compares case-insensitively; `route` is the route template ("/user/{id}"), not the raw
 * path. `durationMs` is evaluated from the latency histogram of the rollups, so only `durationMs <= X` and
 * `durationMs > X` with X one of LATENCY_BOUNDS_MS are exact and accepted.
 */
import { LATENCY_BOUNDS_MS } from "@burnrate/contracts";
import { FILTER_FIELDS, FilterError, type CompareOp, type FilterNode, type FilterValue } from "./filter-ast";
import { tokenize, type Token } from "./tokenize-filter";

const NUMERIC_FIELDS = new Set(["status", "durationMs"]);

export interface ParseFilterOptions {
  /** Extra field names accepted by the parser (the OpenSLO importer reads `service`). */
  extraFields?: readonly string[];
}

/** Parses a filter; throws FilterError with the position of the first problem. */
export function parseFilter(src: string, opts: ParseFilterOptions = {}): FilterNode {
  const toks = tokenize(src);
  const fields = new Map<string, string>();
  for (const f of [...FILTER_FIELDS, ...(opts.extraFields ?? [])]) fields.set(f.toLowerCase(), f);
  let p = 0;
  const peek = () => toks[p]!;
  const kw = (t: Token, w: string) => t.k === "ident" && t.v.toLowerCase() === w;
  const describe = (t: Token) =>
    t.k === "eof" ? "the end of the filter" : t.k === "str" ? `"${t.v}"` : `'${String(t.v)}'`;

  const parseOr = (): FilterNode => {
    const items = [parseAnd()];
    while (kw(peek(), "or")) {
      p++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { type: "or", items: items.flatMap(flat("or")) };
  };
  const parseAnd = (): FilterNode => {
    const items = [parseUnary()];
    while (kw(peek(), "and")) {
      p++;
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0]! : { type: "and", items: items.flatMap(flat("and")) };
  };
  const parseUnary = (): FilterNode => {
    if (kw(peek(), "not")) {
      p++;
      return { type: "not", item: parseUnary() };
    }
    return parsePrimary();
  };
  const parseValue = (): { v: FilterValue; pos: number } => {
    const t = peek();
    if (t.k === "num" || t.k === "str") {
      p++;
      return { v: t.v, pos: t.pos };
    }
    throw new FilterError(
      `expected a value (a number or a "double-quoted string") but found ${describe(t)}`,
      t.pos,
    );
  };
  const parsePrimary = (): FilterNode => {
    const t = peek();
    if (t.k === "op" && t.v === "(") {
      p++;
      const e = parseOr();
      const close = peek();
      if (!(close.k === "op" && close.v === ")"))
        throw new FilterError(`expected ')' but found ${describe(close)}`, close.pos);
      p++;
      return e;
    }
    if (kw(t, "true")) {
      p++;
      return { type: "true" };
    }
    if (t.k !== "ident" || ["and", "or", "not", "in"].includes(t.v.toLowerCase()))
      throw new FilterError(
        `expected a field (${[...fields.values()].join(", ")}), 'true', 'not' or '(' but found ${describe(t)}`,
        t.pos,
      );
    const field = fields.get(t.v.toLowerCase());
    if (!field)
      throw new FilterError(`unknown field '${t.v}'; fields are ${[...fields.values()].join(", ")}`, t.pos);
    p++;
    const opTok = peek();
    if (kw(opTok, "in") || kw(opTok, "not")) {
      const negated = kw(opTok, "not");
      p++;
      if (negated) {
        if (!kw(peek(), "in"))
          throw new FilterError(`expected 'in' after 'not' but found ${describe(peek())}`, peek().pos);
        p++;
      }
      const open = peek();
      if (!(open.k === "op" && open.v === "("))
        throw new FilterError(`expected '(' after 'in' but found ${describe(open)}`, open.pos);
      p++;
      const values = [parseValue()];
      for (;;) {
        const sep = peek();
        if (sep.k === "op" && sep.v === ",") {
          p++;
          values.push(parseValue());
        } else if (sep.k === "op" && sep.v === ")") {
          p++;
          break;
        } else throw new FilterError(`expected ',' or ')' but found ${describe(sep)}`, sep.pos);
      }
      const node: FilterNode = { type: "in", field, negated, values: values.map((x) => x.v), pos: t.pos };
      checkTypes(
        node,
        values.map((x) => x.pos),
      );
      return node;
    }
    if (opTok.k !== "op" || !["=", "!=", "<", "<=", ">", ">="].includes(opTok.v))
      throw new FilterError(
        `expected an operator (=, !=, <, <=, >, >=, in, not in) after '${field}' but found ${describe(opTok)}`,
        opTok.pos,
      );
    p++;
    const value = parseValue();
    const node: FilterNode = { type: "cmp", field, op: opTok.v as CompareOp, value: value.v, pos: t.pos };
    checkTypes(node, [value.pos]);
    return node;
  };
  const ast = parseOr();
  const rest = peek();
  if (rest.k !== "eof")
    throw new FilterError(
      `expected 'and', 'or' or the end of the filter but found ${describe(rest)}`,
      rest.pos,
    );
  return ast;
}

function flat(kind: "and" | "or") {
  return (n: FilterNode): FilterNode[] => (n.type === kind ? n.items : [n]);
}

function checkTypes(node: Extract<FilterNode, { type: "cmp" | "in" }>, valuePositions: number[]): void {
  const values = node.type === "cmp" ? [node.value] : node.values;
  const numeric = NUMERIC_FIELDS.has(node.field);
  values.forEach((v, i) => {
    const pos = valuePositions[i] ?? node.pos;
    if (numeric && typeof v !== "number")
      throw new FilterError(`field '${node.field}' is a number; "${String(v)}" is a string`, pos);
    if (!numeric && typeof v !== "string")
      throw new FilterError(
        `field '${node.field}' is a string; write the value in double quotes ("${v}")`,
        pos,
      );
    if (node.field === "status" && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 999))
      throw new FilterError(`status must be an integer HTTP status code, not ${String(v)}`, pos);
  });
  if (!numeric && node.type === "cmp" && !["=", "!="].includes(node.op))
    throw new FilterError(`field '${node.field}' is a string: only =, !=, in and not in apply`, node.pos);
  if (node.field === "durationMs") {
    const allowed = `allowed: durationMs <= X or durationMs > X with X one of ${LATENCY_BOUNDS_MS.join(", ")} (the latency histogram bounds)`;
    if (node.type === "in" || !["<=", ">"].includes(node.op))
      throw new FilterError(
        `durationMs is measured with a latency histogram, so '${node.type === "in" ? (node.negated ? "not in" : "in") : node.op}' cannot be evaluated exactly; ${allowed}`,
        node.pos,
      );
    if (!LATENCY_BOUNDS_MS.includes(node.value as number))
      throw new FilterError(
        `durationMs threshold ${String(node.value)} is not a histogram bound; ${allowed}`,
        valuePositions[0] ?? node.pos,
      );
  }
}
