export type QueryValue = string | number | boolean | null | undefined;

const isSet = (v: unknown) => v !== undefined && v !== null && v !== "" && v !== false;

/** Query string of the set filters, in a stable order (so equal filters share a cache entry). */
export function qs(filters: Record<string, QueryValue>): string {
  const p = new URLSearchParams();
  for (const k of Object.keys(filters).sort()) {
    const v = filters[k];
    if (isSet(v)) p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The set filters only, so {} and {team: ""} share one cache entry (and one request). */
export function setOnly<T extends Record<string, unknown>>(filters: T): Partial<T> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => isSet(v))) as Partial<T>;
}
