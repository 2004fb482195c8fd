import { controlCharAt, describeControlChar } from "../records/control-chars";
import { FilterError } from "./filter-ast";

export type Token =
  | { k: "ident"; v: string; pos: number }
  | { k: "num"; v: number; pos: number }
  | { k: "str"; v: string; pos: number }
  | { k: "op"; v: string; pos: number }
  | { k: "eof"; pos: number };

/** The tokens of a filter, ending with `eof`; throws FilterError at the first character it cannot read. */
export function tokenize(src: string): Token[] {
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
