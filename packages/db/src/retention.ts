import { DAY_MS, HOUR_MS } from "@burnrate/slo-core";

/** Minute resolution is kept this long (≥ the 7-day late-data horizon plus a day of margin). */
export const MINUTE_RETENTION_MS = 8 * DAY_MS;
/** Hour resolution is kept this long (≥ 400 days: the yearly indicators need a year plus a period). */
export const HOUR_RETENTION_MS = 450 * DAY_MS;

/**
 * The first minute that can be recomputed from minute rollups at `nowMs`: retention folds older minutes into
 * hours (rollups and SLI alike, at the same hour-aligned cutoff).
 */
export function minuteDetailFromMs(nowMs: number): number {
  return Math.floor((nowMs - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
}
