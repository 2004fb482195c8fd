import { ValidationError } from "@burnrate/contracts";

/** A UTF-16 surrogate without its other half: not text (UTF-8 cannot carry it, and jsonb refuses its escape). */
const UNPAIRED = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
/**
 * Refused in free text: C0 control characters except tab, newline and carriage return (Postgres rejects NUL),
 * and unpaired surrogates.
 */
export const BAD_IN_TEXT = new RegExp(`[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]|${UNPAIRED}`);
/** Path and query values are names and filters: no control character at all, and no unpaired surrogate. */
export const BAD_IN_NAME = new RegExp(`[\\u0000-\\u001f\\u007f]|${UNPAIRED}`);

const describe = (ch: string) => `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
const isSurrogate = (char: string) => /^U\+D[89A-F]/.test(char);

/**
 * The first string (or object key) in `value` holding a character that `bad` matches, as a JSON path
 * (`body.labels.team`, `body.items.0.name`). Walks iteratively, so a deeply nested body cannot overflow the stack.
 */
export function findControlCharacter(
  value: unknown,
  root: string,
  bad: RegExp = BAD_IN_TEXT,
): { field: string; char: string } | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      const m = bad.exec(v);
      if (m) return { field: path, char: describe(m[0]) };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}.${i}`]);
    } else if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const m = bad.exec(k);
        if (m) return { field: path, char: describe(m[0]) };
        stack.push([child, `${path}.${k}`]);
      }
    }
  }
  return null;
}

export function controlCharacterError(hit: { field: string; char: string }): ValidationError {
  if (isSurrogate(hit.char))
    return new ValidationError(
      `${hit.field}: contains an unpaired surrogate ${hit.char}, which is not a character; send valid Unicode text`,
      { field: hit.field, issues: [{ field: hit.field, message: `unpaired surrogate ${hit.char}` }] },
    );
  return new ValidationError(
    `${hit.field}: contains the control character ${hit.char}; NUL and other control characters are not allowed`,
    { field: hit.field, issues: [{ field: hit.field, message: `control character ${hit.char}` }] },
  );
}
