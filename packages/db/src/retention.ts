const HOUR_MS = 3600_000;
/** Minute resolution is kept this long (≥ the 7-day late-data horizon plus a day of margin). */
export const MINUTE_RETENTION_MS = 8 * 24 * HOUR_MS;
/** Hour resolution is kept this long (≥ 400 days: the yearly indicators need a year plus a period). */
export const HOUR_RETENTION_MS = 450 * 24 * HOUR_MS;
