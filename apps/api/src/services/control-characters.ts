import { ValidationError } from "@burnrate/contracts";

/** Control characters refused in free text: C0 except tab, newline and carriage return (Postgres rejects NUL). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const BAD_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
/** Path and query values are names and filters: no control character at all. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const BAD_IN_NAME = /[\u0000-\u001f\u007f]/;

const describe = (ch: string) => `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;

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
  return new ValidationError(
    `${hit.field}: contains the control character ${hit.char}; NUL and other control characters are not allowed`,
    { field: hit.field, issues: [{ field: hit.field, message: `control character ${hit.char}` }] },
  );
}
