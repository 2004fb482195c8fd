import { DAY_MS, HOUR_MS } from "./time-units.js";

/** Wall-clock fields of an instant in some time zone (month 1–12). */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Time zone used when a calendar window names none. */
export const DEFAULT_TIME_ZONE = "UTC";

/** Whether `tz` names a time zone this runtime knows (an IANA name such as "Europe/Berlin", or "UTC"). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Offsets are sampled this far either side of a wall time to find both sides of a DST change. */
const OFFSET_PROBE_MS = 12 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The last wall clocks read, by zone and instant: `formatToParts` is the costly step of every conversion, and a
 * schedule's timeline reads the same instants several times (active hours, then the period).
 */
const recentParts = new Map<string, ZonedParts>();
const RECENT_PARTS_LIMIT = 256;

/** The wall clock in `timeZone` at `atMs`. Throws RangeError for an unknown zone. */
export function zonedParts(atMs: number, timeZone: string): ZonedParts {
  const key = `${timeZone}|${atMs}`;
  const seen = recentParts.get(key);
  if (seen) return { ...seen };
  const out: ZonedParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(atMs)) {
    if (part.type in out) out[part.type as keyof ZonedParts] = Number(part.value);
  }
  if (recentParts.size >= RECENT_PARTS_LIMIT) recentParts.clear();
  recentParts.set(key, { ...out });
  return out;
}

/** UTC offset of `timeZone` at `atMs` (local − UTC), in ms, at one-second precision. */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const p = zonedParts(atMs, timeZone);
  const asUtc = utcMs(p.year, p.month, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows the given date and time.
 * Ambiguous times (DST fall-back) give the earlier instant; skipped times (DST spring-forward)
 * move on by the skipped hour (02:30 on a night the clock jumps 02:00 → 03:00 gives 03:30).
 */
export function zonedTimeToUtc(
  date: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const wall = utcMs(date.year, date.month, date.day, date.hour ?? 0, date.minute ?? 0);
  const candidates = [
    wall - zoneOffsetMs(wall - OFFSET_PROBE_MS, timeZone),
    wall - zoneOffsetMs(wall + OFFSET_PROBE_MS, timeZone),
  ];
  const valid = candidates.filter((t) => t + zoneOffsetMs(t, timeZone) === wall);
  if (valid.length > 0) return Math.min(...valid);
  return Math.max(...candidates);
}

/**
 * Epoch milliseconds of a UTC date and time (month 1–12). Unlike `Date.UTC`, years 0–99 are those years, not
 * 1900–1999: a date in year 50 must not come back as 1950.
 */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** Days since 1970-01-01 of a calendar date (proleptic Gregorian). */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(utcMs(year, month, day) / DAY_MS);
}

/** Calendar date of a day number (inverse of dayNumber). */
export function dateOfDayNumber(n: number): { year: number; month: number; day: number } {
  const d = new Date(n * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
