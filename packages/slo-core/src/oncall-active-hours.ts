import { dateOfDayNumber, dayNumber, zonedParts, zonedTimeToUtc } from "./time-zone.js";

/** Days of the week as schedules name them, Monday first. */
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes in a (wall-clock) day; a window may end at 24:00. */
export const MINUTES_PER_DAY = 24 * 60;

/**
 * A weekly window of on-call hours, in the schedule's time zone. It starts on each of `days` at `fromMinute`
 * (minutes after local midnight) and ends at `toMinute` the same day, or the next day when `toMinute` is not
 * after `fromMinute` (17:00 → 09:00 runs overnight). `toMinute` may be 1440 (24:00).
 */
export interface WeeklyWindow {
  days: Weekday[];
  fromMinute: number;
  toMinute: number;
}

/** `null` active hours mean around the clock (24x7). */
export type ActiveHours = WeeklyWindow[] | null;

const WORKDAYS: Weekday[] = ["mon", "tue", "wed", "thu", "fri"];
const hm = (h: number, m = 0): number => h * 60 + m;

/**
 * The coverage patterns the book names. Business hours are 09:00–17:00 (the book's usual starting point);
 * 12x5 is 08:00–20:00. "16x7" is the out-of-hours rotation: every hour outside 8x5 (weekday evenings and
 * nights, and whole weekends), so an 8x5 layer plus a 16x7 layer cover the week exactly once.
 */
export const ACTIVE_HOURS_PRESETS = {
  "24x7": null,
  "8x5": [{ days: WORKDAYS, fromMinute: hm(9), toMinute: hm(17) }],
  "12x5": [{ days: WORKDAYS, fromMinute: hm(8), toMinute: hm(20) }],
  "16x7": [
    { days: ["mon", "tue", "wed", "thu"], fromMinute: hm(17), toMinute: hm(9) },
    { days: ["fri"], fromMinute: hm(17), toMinute: MINUTES_PER_DAY },
    { days: ["sat", "sun"], fromMinute: 0, toMinute: MINUTES_PER_DAY },
    { days: ["mon"], fromMinute: 0, toMinute: hm(9) },
  ],
} as const satisfies Record<string, ActiveHours>;
export type ActiveHoursPreset = keyof typeof ACTIVE_HOURS_PRESETS;

/** "HH:MM" → minutes after midnight; "24:00" is allowed (end of day). Null when it is not a time. */
export function parseClock(text: string): number | null {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= MINUTES_PER_DAY ? minutes : null;
}

/** Minutes after midnight → "HH:MM". */
export function formatClock(minutes: number): string {
  const h = Math.floor(minutes / 60);
  return `${String(h).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** Weekday of a day number (days since 1970-01-01, a Thursday). */
export function weekdayOfDayNumber(n: number): Weekday {
  const THURSDAY = 3; // index of "thu" in WEEKDAYS; day 0 was a Thursday
  return WEEKDAYS[(((n + THURSDAY) % 7) + 7) % 7]!;
}

function crossesMidnight(w: WeeklyWindow): boolean {
  return w.toMinute <= w.fromMinute;
}

/**
 * Whether the schedule's active hours include the instant `atMs`. A window's occurrence on a local day runs
 * from the instant its opening wall time names to the instant its closing wall time names (a wall time the
 * clock shows twice is its first showing; one the clock skips moves on by the skipped hour, 02:30 → 03:30,
 * as a rotation's hand-off does), exactly the
 * instants `activeHoursEdges` lists: across a DST change both agree to the millisecond.
 */
export function isActiveAt(hours: ActiveHours, timeZone: string, atMs: number): boolean {
  if (hours === null) return true;
  const p = zonedParts(atMs, timeZone);
  const today = dayNumber(p.year, p.month, p.day);
  // An occurrence that opened yesterday may still be open (overnight); a DST jump moves an instant's local
  // day by at most one either side of the day its wall clock shows.
  for (let day = today - 2; day <= today + 1; day++) {
    const weekday = weekdayOfDayNumber(day);
    for (const w of hours) {
      if (!w.days.includes(weekday)) continue;
      const [open, close] = occurrence(w, day, timeZone);
      if (atMs >= open && atMs < close) return true;
    }
  }
  return false;
}

/** The instants a window opens and closes on a local day. */
function occurrence(w: WeeklyWindow, day: number, timeZone: string): [number, number] {
  const end = crossesMidnight(w) ? w.toMinute + MINUTES_PER_DAY : w.toMinute;
  return [wallInstant(day, w.fromMinute, timeZone), wallInstant(day, end, timeZone)];
}

/**
 * Wall-clock minutes already converted, by zone, day and minute: `isActiveAt` asks for the same few window
 * edges at every change point of a timeline, and each conversion reads the zone's clock several times.
 */
const wallCache = new Map<string, number>();
const WALL_CACHE_LIMIT = 20_000;

/** Instant of a wall-clock minute on a local day (minute 1440 is the next day's midnight). */
function wallInstant(day: number, minute: number, timeZone: string): number {
  const key = `${timeZone}|${day}|${minute}`;
  const seen = wallCache.get(key);
  if (seen !== undefined) return seen;
  const d = dateOfDayNumber(day + Math.floor(minute / MINUTES_PER_DAY));
  const m = minute % MINUTES_PER_DAY;
  const at = zonedTimeToUtc({ ...d, hour: Math.floor(m / 60), minute: m % 60 }, timeZone);
  if (wallCache.size >= WALL_CACHE_LIMIT) wallCache.clear();
  wallCache.set(key, at);
  return at;
}

/**
 * The instants in [fromMs, toMs) where active hours may start or stop: each window's opening and closing on
 * every local day the range touches. Sorted, without duplicates. Empty for 24x7.
 */
export function activeHoursEdges(
  hours: ActiveHours,
  timeZone: string,
  fromMs: number,
  toMs: number,
): number[] {
  if (hours === null) return [];
  const first = zonedParts(fromMs, timeZone);
  const last = zonedParts(toMs, timeZone);
  const out = new Set<number>();
  // One day of slack either side: an overnight window opened yesterday closes today.
  for (
    let day = dayNumber(first.year, first.month, first.day) - 1;
    day <= dayNumber(last.year, last.month, last.day) + 1;
    day++
  ) {
    const weekday = weekdayOfDayNumber(day);
    for (const w of hours) {
      if (!w.days.includes(weekday)) continue;
      for (const t of occurrence(w, day, timeZone)) if (t >= fromMs && t < toMs) out.add(t);
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Active minutes per week of non-overlapping windows (24x7 = 10080), for labels such as "8x5 = 40 h". */
export function activeMinutesPerWeek(hours: ActiveHours): number {
  if (hours === null) return 7 * MINUTES_PER_DAY;
  return hours.reduce((sum, w) => {
    const len = crossesMidnight(w) ? w.toMinute + MINUTES_PER_DAY - w.fromMinute : w.toMinute - w.fromMinute;
    return sum + len * w.days.length;
  }, 0);
}
