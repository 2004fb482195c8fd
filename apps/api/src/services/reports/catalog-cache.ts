import type { Db } from "@burnrate/db";

interface Entry<T> {
  /** when the answer was ready (a computation can take long: its age counts from then), or null while computing */
  computedAt: number | null;
  /** the SLO catalog the answer was computed from (catalogStamp) */
  catalog: string;
  value: Promise<T>;
  refreshing: boolean;
}

/**
 * A per-database, per-filter cache of a report, stale-while-revalidate and keyed by the SLO catalog's stamp:
 * an answer is served while at most `freshMs` old, counted from when it was ready (on a busy machine a
 * computation can take longer than that, and would otherwise be stale at birth); an older one, up to
 * `staleMs`, is served while the next is computed in the background. An answer computed before an SLO was
 * added, edited or removed is never served, not even while refreshing. Concurrent misses share one
 * computation; a failed one is forgotten. At most 200 filters are kept per database.
 */
export function catalogCache<T>(opts: { freshMs: number; staleMs: number }) {
  const caches = new WeakMap<Db, Map<string, Entry<T>>>();
  return (
    db: Db,
    c: { key: string; catalog: string; clock: () => number; compute: () => Promise<T> },
  ): Promise<T> => {
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = new Map()));
    const start = (): Entry<T> => {
      const entry: Entry<T> = { computedAt: null, catalog: c.catalog, value: c.compute(), refreshing: false };
      entry.value.then(
        () => (entry.computedAt = c.clock()),
        () => cache.delete(c.key),
      );
      return entry;
    };
    const cached = cache.get(c.key);
    const hit = cached?.catalog === c.catalog ? cached : undefined;
    // an answer still being computed is awaited, never computed a second time
    const age = !hit ? Infinity : hit.computedAt === null ? 0 : c.clock() - hit.computedAt;
    if (hit && age <= opts.freshMs) return hit.value;
    if (hit && age <= opts.staleMs) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        const next = start();
        next.value.then(
          () => cache.set(c.key, next),
          () => (hit.refreshing = false),
        );
      }
      return hit.value;
    }
    if (cache.size > 200) cache.clear();
    const entry = start();
    cache.set(c.key, entry);
    return entry.value;
  };
}

/** The cache key of a report filter: its fields in a fixed order. */
export const filterKey = (filter: object): string => JSON.stringify(filter, Object.keys(filter).sort());
