import { isoWeekOf, isoWeekOneMonday } from "./iso-week.js";
import { DAY_MS } from "./time-units.js";
import { DEFAULT_TIME_ZONE, dateOfDayNumber, zonedParts, zonedTimeToUtc } from "./time-zone.js";
import type { SloWindow, TimeSpan } from "./types.js";

/** ISO weeks per `4w` period. */
export const WEEKS_PER_4W_PERIOD = 4;
/** `4w` periods per ISO year; in a 53-week year week 53 joins the last one. */
export const PERIODS_PER_ISO_YEAR = 13;
/** Months per quarter. */
const MONTHS_PER_QUARTER = 3;

function localMidnight(dayNum: number, timeZone: string): number {
  return zonedTimeToUtc(dateOfDayNumber(dayNum), timeZone);
}

/** Start and end day numbers of the `4w` period (1-based index 1–13) of an ISO year. */
export function fourWeekPeriodDays(isoYear: number, index: number): { startDay: number; endDay: number } {
  const weekOne = isoWeekOneMonday(isoYear);
  const startDay = weekOne + (index - 1) * WEEKS_PER_4W_PERIOD * 7;
  const endDay =
    index >= PERIODS_PER_ISO_YEAR ? isoWeekOneMonday(isoYear + 1) : startDay + WEEKS_PER_4W_PERIOD * 7;
  return { startDay, endDay };
}

/** Which `4w` period (1–13) an ISO week belongs to; week 53 joins period 13. */
export function fourWeekPeriodIndex(week: number): number {
  return Math.min(PERIODS_PER_ISO_YEAR, Math.floor((week - 1) / WEEKS_PER_4W_PERIOD) + 1);
}

function calendarPeriodAt(period: "4w" | "month" | "quarter", timeZone: string, atMs: number): TimeSpan {
  const p = zonedParts(atMs, timeZone);
  if (period === "month") {
    const next = p.month === 12 ? { year: p.year + 1, month: 1 } : { year: p.year, month: p.month + 1 };
    return {
      startMs: zonedTimeToUtc({ year: p.year, month: p.month, day: 1 }, timeZone),
      endMs: zonedTimeToUtc({ ...next, day: 1 }, timeZone),
    };
  }
  if (period === "quarter") {
    const firstMonth = Math.floor((p.month - 1) / MONTHS_PER_QUARTER) * MONTHS_PER_QUARTER + 1;
    const nextFirst = firstMonth + MONTHS_PER_QUARTER;
    const next =
      nextFirst > 12 ? { year: p.year + 1, month: nextFirst - 12 } : { year: p.year, month: nextFirst };
    return {
      startMs: zonedTimeToUtc({ year: p.year, month: firstMonth, day: 1 }, timeZone),
      endMs: zonedTimeToUtc({ ...next, day: 1 }, timeZone),
    };
  }
  const { isoYear, week } = isoWeekOf(p.year, p.month, p.day);
  const { startDay, endDay } = fourWeekPeriodDays(isoYear, fourWeekPeriodIndex(week));
  return { startMs: localMidnight(startDay, timeZone), endMs: localMidnight(endDay, timeZone) };
}

/**
 * Last calendar period computed per (period, zone). Workers evaluate thousands of SLOs at the same
 * instant; Intl formatting dominates the cost, so a hit skips it. Results do not depend on the cache.
 */
const lastCalendarPeriod = new Map<string, TimeSpan>();
/** Bound on cached (period, zone) pairs; the cache is cleared when it grows past this. */
const MAX_CACHED_ZONES = 1000;

function cachedCalendarPeriodAt(
  period: "4w" | "month" | "quarter",
  timeZone: string,
  atMs: number,
): TimeSpan {
  const key = `${period}|${timeZone}`;
  const hit = lastCalendarPeriod.get(key);
  if (hit && atMs >= hit.startMs && atMs < hit.endMs) return { startMs: hit.startMs, endMs: hit.endMs };
  const span = calendarPeriodAt(period, timeZone, atMs);
  if (lastCalendarPeriod.size >= MAX_CACHED_ZONES) lastCalendarPeriod.clear();
  lastCalendarPeriod.set(key, span);
  return { startMs: span.startMs, endMs: span.endMs };
}

/**
 * The period that applies at `atMs`.
 * rolling: [at − days, at]; calendar: the period containing `at` (start inclusive, end exclusive).
 */
export function periodAt(window: SloWindow, atMs: number): TimeSpan {
  if (window.type === "rolling") return { startMs: atMs - window.days * DAY_MS, endMs: atMs };
  return cachedCalendarPeriodAt(window.period, window.timeZone ?? DEFAULT_TIME_ZONE, atMs);
}

/** Length of the period at `atMs` in ms (a Berlin March is 31 days minus 1 hour). */
export function periodLengthMs(window: SloWindow, atMs: number): number {
  const { startMs, endMs } = periodAt(window, atMs);
  return endMs - startMs;
}

/**
 * The `n` periods before the current one, newest first.
 * calendar: the preceding calendar periods; rolling: back-to-back windows of `days` ending at the
 * current window's start.
 */
export function previousPeriods(window: SloWindow, atMs: number, n: number): TimeSpan[] {
  const out: TimeSpan[] = [];
  let current = periodAt(window, atMs);
  for (let i = 0; i < n; i++) {
    current =
      window.type === "rolling"
        ? { startMs: current.startMs - window.days * DAY_MS, endMs: current.startMs }
        : periodAt(window, current.startMs - 1);
    out.push(current);
  }
  return out;
}
