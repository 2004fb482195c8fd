import { DAY_MS } from "@burnrate/slo-core";

/** Events older than this are not swept again (a delivery lost for a day is history, not news). */
export const SWEEP_LOOKBACK_MS = DAY_MS;
/** Events younger than this are left to the dispatch their writer is enqueuing right now. */
export const DEFAULT_SWEEP_GRACE_MS = 10_000;

/** The span of event times [fromMs, toMs) one sweep at `nowMs` looks at. */
export function sweepWindow(
  nowMs: number,
  graceMs = DEFAULT_SWEEP_GRACE_MS,
): { fromMs: number; toMs: number } {
  return { fromMs: nowMs - SWEEP_LOOKBACK_MS, toMs: nowMs - graceMs };
}
