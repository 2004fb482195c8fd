import { describe, expect, it } from "vitest";
import { isoWeekOf, isoWeekOneMonday, isoWeekday, isoWeeksInYear } from "./iso-week.js";
import { dateOfDayNumber, dayNumber } from "./time-zone.js";

describe("ISO weeks", () => {
  it.each([
    { year: 2026, monday: "2025-12-29", weeks: 53 },
    { year: 2025, monday: "2024-12-30", weeks: 52 },
    { year: 2020, monday: "2019-12-30", weeks: 53 },
    { year: 2021, monday: "2021-01-04", weeks: 52 },
    { year: 2015, monday: "2014-12-29", weeks: 53 },
  ])("$year: week 1 starts $monday, $weeks weeks", ({ year, monday, weeks }) => {
    const d = dateOfDayNumber(isoWeekOneMonday(year));
    const iso = `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
    expect(iso).toBe(monday);
    expect(isoWeeksInYear(year)).toBe(weeks);
  });

  it.each([
    { date: [2025, 12, 29], isoYear: 2026, week: 1 },
    { date: [2026, 1, 1], isoYear: 2026, week: 1 },
    { date: [2026, 12, 31], isoYear: 2026, week: 53 },
    { date: [2027, 1, 3], isoYear: 2026, week: 53 },
    { date: [2027, 1, 4], isoYear: 2027, week: 1 },
    { date: [2021, 1, 3], isoYear: 2020, week: 53 },
    { date: [2026, 3, 1], isoYear: 2026, week: 9 },
  ])("$date is week $week of $isoYear", ({ date, isoYear, week }) => {
    const [y, m, d] = date as [number, number, number];
    expect(isoWeekOf(y, m, d)).toEqual({ isoYear, week });
  });

  it.each([
    { date: [1970, 1, 1], weekday: 4 },
    { date: [2025, 12, 29], weekday: 1 },
    { date: [2026, 3, 1], weekday: 7 },
    { date: [1969, 12, 29], weekday: 1 },
  ])("$date has ISO weekday $weekday", ({ date, weekday }) => {
    const [y, m, d] = date as [number, number, number];
    expect(isoWeekday(dayNumber(y, m, d))).toBe(weekday);
  });
});
