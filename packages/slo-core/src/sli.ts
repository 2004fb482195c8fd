import type { EventCounts } from "./types.js";

/** Good ÷ total. `null` when there was no traffic: no data is neither 0% nor 100%. */
export function sli(c: EventCounts): number | null {
  if (c.total <= 0) return null;
  return c.good / c.total;
}

/** Bad events (total − good), never negative. */
export function badEvents(c: EventCounts): number {
  return Math.max(0, c.total - c.good);
}
