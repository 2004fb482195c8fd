import { DAY_MS, dateOfDayNumber, dayNumber, zonedParts, zonedTimeToUtc } from "@burnrate/slo-core";

export interface NewsletterWeek {
  /** The reported week's first and last local days, "YYYY-MM-DD" (Monday to Sunday). */
  firstDay: string;
  lastDay: string;
  /** Its local midnights as instants: [start, end). A week across a DST change is 167 or 169 hours long. */
  start: number;
  end: number;
  timeZone: string;
}

const iso = (n: number) => {
  const d = dateOfDayNumber(n);
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
};
const midnight = (n: number, timeZone: string) =>
  zonedTimeToUtc({ ...dateOfDayNumber(n), hour: 0, minute: 0 }, timeZone);
/** ISO weekday (1 = Monday) of a day number (day 0 = 1970-01-01, a Thursday). */
const weekdayOf = (n: number) => ((((n + 3) % 7) + 7) % 7) + 1;

/** The local Monday-to-Sunday week whose first day is day number `monday`. */
function weekFrom(monday: number, timeZone: string): NewsletterWeek {
  return {
    firstDay: iso(monday),
    lastDay: iso(monday + 6),
    start: midnight(monday, timeZone),
    end: midnight(monday + 7, timeZone),
    timeZone,
  };
}

/** The day number of the local Monday of the week holding `atMs`. */
function mondayAt(atMs: number, timeZone: string): number {
  const p = zonedParts(atMs, timeZone);
  const n = dayNumber(p.year, p.month, p.day);
  return n - (weekdayOf(n) - 1);
}

/** The local week holding the day "YYYY-MM-DD". */
export function weekOfDay(day: string, timeZone: string): NewsletterWeek {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const n = dayNumber(y, m, d);
  return weekFrom(n - (weekdayOf(n) - 1), timeZone);
}

/** The last complete local week before `atMs`. */
export function lastCompleteWeek(atMs: number, timeZone: string): NewsletterWeek {
  return weekFrom(mondayAt(atMs, timeZone) - 7, timeZone);
}

export interface SendSchedule {
  weekday: number;
  time: string;
  timeZone: string;
}

/** The instant of this local week's send slot (weekday at HH:MM on the zone's wall clock). */
function slotOfWeek(monday: number, s: SendSchedule): number {
  const [hour, minute] = s.time.split(":").map(Number) as [number, number];
  return zonedTimeToUtc({ ...dateOfDayNumber(monday + s.weekday - 1), hour, minute }, s.timeZone);
}

/** A slot missed by more than this (the worker was down) is skipped: a late newsletter is not news. */
export const LATE_LIMIT_MS = DAY_MS;

/**
 * The newsletter due at `nowMs`: the latest local send slot at or before `nowMs` and the week before it,
 * while that slot is less than LATE_LIMIT_MS old (a worker down at the slot still sends it, late); null
 * otherwise. Whether it was sent already is the caller's issue row to say.
 */
export function dueNewsletter(
  s: SendSchedule,
  nowMs: number,
): { slotMs: number; week: NewsletterWeek } | null {
  const monday = mondayAt(nowMs, s.timeZone);
  const thisWeek = slotOfWeek(monday, s);
  const m = nowMs >= thisWeek ? monday : monday - 7;
  const slotMs = m === monday ? thisWeek : slotOfWeek(m, s);
  if (nowMs - slotMs >= LATE_LIMIT_MS) return null;
  return { slotMs, week: weekFrom(m - 7, s.timeZone) };
}

/** The next send slot after `nowMs`. */
export function nextSlot(s: SendSchedule, nowMs: number): number {
  const monday = mondayAt(nowMs, s.timeZone);
  const slot = slotOfWeek(monday, s);
  return slot > nowMs ? slot : slotOfWeek(monday + 7, s);
}
