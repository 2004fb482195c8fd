/** One second in milliseconds. */
export const SECOND_MS = 1000;
/** One minute in milliseconds; the resolution of stored counts. */
export const MINUTE_MS = 60 * SECOND_MS;
/** One hour in milliseconds. */
export const HOUR_MS = 60 * MINUTE_MS;
/** One (24-hour) day in milliseconds; calendar days across DST are computed in period.ts instead. */
export const DAY_MS = 24 * HOUR_MS;
/** One (7 × 24 h) week in milliseconds. */
export const WEEK_MS = 7 * DAY_MS;
