import { DAY_MS } from "./time-units.js";
import { DEFAULT_TIME_ZONE, dayNumber, zonedParts } from "./time-zone.js";
import type { SloWindow, TimeSpan } from "./types.js";

/** A period as people read it: its first and last calendar days in the SLO's time zone, and how many days. */
export interface PeriodDates {
  /** The zone the dates are in: the calendar SLO's own; rolling windows are shown in UTC. */
  timeZone: string;
  /** "YYYY-MM-DD" of the first day. */
  firstDay: string;
  /** "YYYY-MM-DD" of the last day (the period's end is exclusive). */
  lastDay: string;
  /** Days in the period: a calendar period's dates, a rolling window's length. */
  days: number;
}

/** The zone a window's dates are read in. */
export function windowTimeZone(window: SloWindow): string {
  return window.type === "calendar" ? (window.timeZone ?? DEFAULT_TIME_ZONE) : DEFAULT_TIME_ZONE;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "YYYY-MM-DD" of the calendar day that contains `atMs` in `timeZone`. */
export function localDate(atMs: number, timeZone: string): string {
  const p = zonedParts(atMs, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

function localDayNumber(atMs: number, timeZone: string): number {
  const p = zonedParts(atMs, timeZone);
  return dayNumber(p.year, p.month, p.day);
}

/** The dates of a period in the SLO's own time zone. */
export function periodDates(window: SloWindow, period: TimeSpan): PeriodDates {
  const timeZone = windowTimeZone(window);
  const days =
    window.type === "rolling"
      ? window.days
      : localDayNumber(period.endMs - 1, timeZone) - localDayNumber(period.startMs, timeZone) + 1;
  return {
    timeZone,
    firstDay: localDate(period.startMs, timeZone),
    lastDay: localDate(period.endMs - 1, timeZone),
    days,
  };
}

/**
 * Which day of the period (1 = the first) `atMs` falls on, in the SLO's time zone: a calendar period counts
 * its dates, a rolling window whole days from its start. An instant at or past the end is on the last day.
 */
export function dayOfPeriod(window: SloWindow, period: TimeSpan, atMs: number): number {
  const at = Math.max(period.startMs, Math.min(atMs, period.endMs - 1));
  const { days, timeZone } = periodDates(window, period);
  const day =
    window.type === "rolling"
      ? Math.floor((at - period.startMs) / DAY_MS) + 1
      : localDayNumber(at, timeZone) - localDayNumber(period.startMs, timeZone) + 1;
  return Math.min(days, Math.max(1, day));
}

/**
 * A rolling window whose data starts after the window's start has less history than its length: from the
 * first minute with data to `endMs`, in days. null when the window is calendar, has no data, or is covered.
 */
export function partialHistory(
  window: SloWindow,
  period: TimeSpan,
  firstDataMs: number | null,
  endMs: number,
): { fromMs: number; days: number } | null {
  if (window.type !== "rolling" || firstDataMs === null || firstDataMs <= period.startMs) return null;
  return { fromMs: firstDataMs, days: (Math.min(endMs, period.endMs) - firstDataMs) / DAY_MS };
}
