import { describe, expect, it } from "vitest";
import { periodAt } from "./period.js";
import { dayOfPeriod, partialHistory, periodDates } from "./period-dates.js";
import { DAY_MS, HOUR_MS } from "./time-units.js";
import type { SloWindow } from "./types.js";

const AT = Date.parse("2026-12-06T04:00:00Z");
const cal = (period: "4w" | "month" | "quarter", timeZone: string): SloWindow => ({
  type: "calendar",
  period,
  timeZone,
});

describe("periodDates: a period's days in the SLO's own zone", () => {
  it.each([
    // Q4 2026: Tokyo's starts at 2026-09-30T15:00Z, which a UTC viewer read as "Sep 30".
    {
      w: cal("quarter", "UTC"),
      start: "2026-10-01T00:00:00Z",
      first: "2026-10-01",
      last: "2026-12-31",
      days: 92,
    },
    {
      w: cal("quarter", "Europe/Berlin"),
      start: "2026-09-30T22:00:00Z",
      first: "2026-10-01",
      last: "2026-12-31",
      days: 92,
    },
    {
      w: cal("quarter", "Asia/Tokyo"),
      start: "2026-09-30T15:00:00Z",
      first: "2026-10-01",
      last: "2026-12-31",
      days: 92,
    },
    // ISO weeks 49–53 of 2026 (a 53-week year): Mon Nov 30 to Sun Jan 3, which a UTC viewer read as "Nov 29" in Berlin.
    { w: cal("4w", "UTC"), start: "2026-11-30T00:00:00Z", first: "2026-11-30", last: "2027-01-03", days: 35 },
    {
      w: cal("4w", "Europe/Berlin"),
      start: "2026-11-29T23:00:00Z",
      first: "2026-11-30",
      last: "2027-01-03",
      days: 35,
    },
    {
      w: cal("4w", "Asia/Tokyo"),
      start: "2026-11-29T15:00:00Z",
      first: "2026-11-30",
      last: "2027-01-03",
      days: 35,
    },
    {
      w: cal("month", "Asia/Tokyo"),
      start: "2026-11-30T15:00:00Z",
      first: "2026-12-01",
      last: "2026-12-31",
      days: 31,
    },
    {
      w: { type: "rolling", days: 28 } as SloWindow,
      start: "2026-11-08T04:00:00Z",
      first: "2026-11-08",
      last: "2026-12-06",
      days: 28,
    },
  ])("$w.type $w.period $w.timeZone: $first – $last, $days days", ({ w, start, first, last, days }) => {
    const p = periodAt(w, AT);
    expect(new Date(p.startMs).toISOString()).toBe(new Date(start).toISOString());
    expect(periodDates(w, p)).toEqual({
      timeZone: w.type === "calendar" ? w.timeZone : "UTC",
      firstDay: first,
      lastDay: last,
      days,
    });
  });
});

describe("dayOfPeriod: the day an instant falls on, in the SLO's zone, never past the last", () => {
  it.each([
    // 2026-12-01T16:00Z is Dec 2, 01:00 in Tokyo: day 63 of Tokyo's Q4, day 62 of UTC's and Berlin's.
    { w: cal("quarter", "Asia/Tokyo"), at: "2026-12-01T16:00:00Z", day: 63 },
    { w: cal("quarter", "UTC"), at: "2026-12-01T16:00:00Z", day: 62 },
    { w: cal("quarter", "Europe/Berlin"), at: "2026-12-01T16:00:00Z", day: 62 },
    { w: cal("quarter", "Europe/Berlin"), at: "2026-12-31T22:59:59Z", day: 92 },
    { w: cal("4w", "Europe/Berlin"), at: "2026-11-29T23:00:00Z", day: 1 },
    { w: cal("4w", "Asia/Tokyo"), at: "2027-01-03T14:59:00Z", day: 35 },
    { w: cal("4w", "UTC"), at: "2027-01-03T14:59:00Z", day: 35 },
    // A rolling 28-day window exhausted at its very end (now) is on day 28, not "day 29".
    { w: { type: "rolling", days: 28 } as SloWindow, at: "2026-12-06T04:00:00Z", day: 28 },
    { w: { type: "rolling", days: 28 } as SloWindow, at: "2026-11-09T03:59:59Z", day: 1 },
    { w: { type: "rolling", days: 28 } as SloWindow, at: "2026-11-09T04:00:00Z", day: 2 },
  ])("$w.type $w.period $w.timeZone at $at: day $day", ({ w, at, day }) => {
    expect(dayOfPeriod(w, periodAt(w, AT), Date.parse(at))).toBe(day);
  });
});

describe("partialHistory: a rolling window with less data than its length says how much it has", () => {
  const rolling: SloWindow = { type: "rolling", days: 28 };
  const p = periodAt(rolling, AT);
  it.each([
    { what: "2 days of data", first: AT - 2 * DAY_MS, expected: { fromMs: AT - 2 * DAY_MS, days: 2 } },
    {
      what: "36 hours of data",
      first: AT - 36 * HOUR_MS,
      expected: { fromMs: AT - 36 * HOUR_MS, days: 1.5 },
    },
    { what: "data from before the window", first: p.startMs - DAY_MS, expected: null },
    { what: "data from the window's start", first: p.startMs, expected: null },
    { what: "no data", first: null, expected: null },
  ])("$what: $expected", ({ first, expected }) => {
    expect(partialHistory(rolling, p, first, AT)).toEqual(expected);
  });

  it("a calendar period is its dates, whatever the data", () => {
    const w = cal("month", "UTC");
    expect(partialHistory(w, periodAt(w, AT), AT - DAY_MS, AT)).toBeNull();
  });
});
