import type { FieldChange } from "./types";

/** Field-by-field differences; objects are compared key by key ("sli.good", "window.days"). */
export function diffFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix = "",
): FieldChange[] {
  const out: FieldChange[] = [];
  for (const k of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    const a = before[k] ?? null;
    const b = after[k] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const plain = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    if (plain(a) && plain(b) && (a as { type?: unknown }).type === (b as { type?: unknown }).type)
      out.push(...diffFields(a as Record<string, unknown>, b as Record<string, unknown>, `${prefix}${k}.`));
    else out.push({ field: `${prefix}${k}`, before: a, after: b });
  }
  return out;
}
