import type { SampledSums } from "./prefix-sums.js";
import type { EventCounts } from "./types.js";

/**
 * Running totals from counts of windows that all end at `toMs` (a source that answers per window, such as
 * Prometheus's increase over a range): the total at `toMs` is 0 and at `toMs − w` it is minus the window's
 * counts, so windowCounts(sums, toMs − w, toMs) gives back exactly the window's counts. Every instant in
 * `instants` other than `toMs` must be the start of such a window; one without counts reads as no traffic.
 * Only windows that end at `toMs` may be read from the result.
 */
export function sampledSumsFromWindows(
  toMs: number,
  instants: readonly number[],
  counts: ReadonlyMap<number, EventCounts>,
): SampledSums {
  const at = new Map<number, EventCounts>();
  for (const t of instants) {
    if (t > toMs) throw new Error(`instant ${t} is after the windows' end ${toMs}`);
    const c = t === toMs ? undefined : counts.get(toMs - t);
    at.set(t, c ? { good: -c.good, total: -c.total } : { good: 0, total: 0 });
  }
  at.set(toMs, { good: 0, total: 0 });
  return { at };
}
