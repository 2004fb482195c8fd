/**
 * The index of the first control character in `s` (C0 U+0000-U+001F, DEL, C1 U+0080-U+009F) or unpaired
 * surrogate, or -1. NUL and its kin are refused in every stored string: Postgres text cannot hold U+0000, and
 * the others are never part of a route, slug or filter. An unpaired surrogate (a `\ud800` escape) is not text.
 */
export function controlCharAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return i;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return i;
      i++;
    }
  }
  return -1;
}

/** "contains a control character (U+0000) at position 3": for error messages (1-based position). */
export function describeControlChar(s: string, at: number): string {
  const c = s.charCodeAt(at);
  const code = c.toString(16).toUpperCase().padStart(4, "0");
  if (c >= 0xd800 && c <= 0xdfff)
    return `contains an unpaired surrogate (U+${code}) at position ${at + 1}; send valid Unicode text`;
  return `contains a control character (U+${code}) at position ${at + 1}; control characters are not allowed`;
}

/**
 * The first string anywhere in a parsed line (values of any key, nested objects and arrays, and the keys
 * themselves) that holds a control character: its field path and the message, or null.
 */
export function findControlChar(o: unknown, path = "", depth = 0): { field: string; message: string } | null {
  if (typeof o === "string") {
    const at = controlCharAt(o);
    return at < 0 ? null : { field: path, message: describeControlChar(o, at) };
  }
  if (typeof o !== "object" || o === null || depth > 16) return null;
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const hit = findControlChar(o[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const k in o) {
    const field = path ? `${path}.${k}` : k;
    const kat = controlCharAt(k);
    if (kat >= 0) return { field: path || "(key)", message: `a field name ${describeControlChar(k, kat)}` };
    const hit = findControlChar((o as Record<string, unknown>)[k], field, depth + 1);
    if (hit) return hit;
  }
  return null;
}

const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `s` with control characters and unpaired surrogates written out as `\uXXXX`. Error messages quote what a
 * line held (JSON.parse quotes the raw text); Postgres's jsonb refuses both U+0000 and an unpaired surrogate,
 * and a stored answer (Idempotency-Key) is jsonb.
 */
export function printable(s: string): string {
  UNPRINTABLE.lastIndex = 0;
  if (!UNPRINTABLE.test(s)) return s;
  return s.replace(UNPRINTABLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
