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
import { controlCharAt, describeControlChar } from "../records/control-chars";

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

const NUMERIC_FIELDS = new Set(["status", "durationMs"]);

type Token =
  | { k: "ident"; v: string; pos: number }
  | { k: "num"; v: number; pos: number }
  | { k: "str"; v: string; pos: number }
  | { k: "op"; v: string; pos: number }
  | { k: "eof"; pos: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  // Control characters (NUL first of all) are refused anywhere in a filter, raw or escaped in a string
  // literal: Postgres text cannot hold U+0000, and a filter is compiled to SQL on every recompute.
  const raw = controlCharAt(src.replace(/[\t\n\r]/g, " "));
  if (raw >= 0) throw new FilterError(`the filter ${describeControlChar(src, raw)}`, raw + 1);
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const pos = i + 1;
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ k: "ident", v: src.slice(i, j), pos });
      i = j;
    } else if (/[0-9]/.test(c) || (c === "-" && /[0-9]/.test(src[i + 1] ?? ""))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      if (/[A-Za-z_]/.test(src[i + m[0].length] ?? ""))
        throw new FilterError(
          `unexpected character '${src[i + m[0].length]}' after a number`,
          pos + m[0].length,
        );
      out.push({ k: "num", v: Number(m[0]), pos });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      if (j >= src.length) throw new FilterError("unterminated string literal", pos);
      let v: string;
      try {
        v = JSON.parse(src.slice(i, j + 1)) as string;
      } catch {
        throw new FilterError("invalid escape in string literal", pos);
      }
      const at = controlCharAt(v);
      if (at >= 0) throw new FilterError(`the string literal ${describeControlChar(v, at)}`, pos);
      out.push({ k: "str", v, pos });
      i = j + 1;
    } else if (c === "'") {
      throw new FilterError("string literals use double quotes", pos);
    } else {
      const two = src.slice(i, i + 2);
      if (two === "!=" || two === "<=" || two === ">=") {
        out.push({ k: "op", v: two, pos });
        i += 2;
      } else if ("=<>(),".includes(c)) {
        if (c === "=" && src[i + 1] === "=") throw new FilterError("use '=' for equality, not '=='", pos);
        out.push({ k: "op", v: c, pos });
        i++;
      } else {
        throw new FilterError(`unexpected character '${c}'`, pos);
      }
    }
  }
  out.push({ k: "eof", pos: src.length + 1 });
  return out;
}

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
