import { dayNumber } from "./time-zone.js";

/** ISO weekday of a day number: Monday = 1 … Sunday = 7 (1970-01-01 was a Thursday = 4). */
export function isoWeekday(dayNum: number): number {
  const THURSDAY_OFFSET = 3; // shifts 1970-01-01 (Thursday) to index 3 of a Monday-based week
  return ((((dayNum + THURSDAY_OFFSET) % 7) + 7) % 7) + 1;
}

/** Day number of the Monday of ISO week 1 of `isoYear` (the week that contains 4 January). */
export function isoWeekOneMonday(isoYear: number): number {
  const JANUARY_FOURTH = 4; // ISO 8601: week 1 is the week with the year's first Thursday, i.e. with 4 Jan
  const jan4 = dayNumber(isoYear, 1, JANUARY_FOURTH);
  return jan4 - (isoWeekday(jan4) - 1);
}

/** Number of ISO weeks (52 or 53) in `isoYear`. */
export function isoWeeksInYear(isoYear: number): number {
  return (isoWeekOneMonday(isoYear + 1) - isoWeekOneMonday(isoYear)) / 7;
}

/** ISO week-numbering year and week (1–53) of a calendar date. */
export function isoWeekOf(year: number, month: number, day: number): { isoYear: number; week: number } {
  const n = dayNumber(year, month, day);
  let isoYear = year + 1;
  while (n < isoWeekOneMonday(isoYear)) isoYear -= 1;
  return { isoYear, week: Math.floor((n - isoWeekOneMonday(isoYear)) / 7) + 1 };
}
