import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fourWeekPeriodDays,
  fourWeekPeriodIndex,
  periodAt,
  periodLengthMs,
  previousPeriods,
} from "./period.js";
import { dayNumber } from "./time-zone.js";
import { DAY_MS, HOUR_MS } from "./time-units.js";
import type { SloWindow } from "./types.js";

const utc = (iso: string): number => Date.parse(iso);

describe("4w calendar periods (ISO weeks 1–4, 5–8, …; week 53 joins the last)", () => {
  const fourWeeks: SloWindow = { type: "calendar", period: "4w" };
  // 2026: ISO week 1 starts Mon 2025-12-29 and the year has 53 ISO weeks.
  const starts2026 = [
    "2025-12-29",
    "2026-01-26",
    "2026-02-23",
    "2026-03-23",
    "2026-04-20",
    "2026-05-18",
    "2026-06-15",
    "2026-07-13",
    "2026-08-10",
    "2026-09-07",
    "2026-10-05",
    "2026-11-02",
    "2026-11-30",
  ];
  const ends2026 = [...starts2026.slice(1), "2027-01-04"];
  it.each(starts2026.map((start, i) => ({ index: i + 1, start, end: ends2026[i] ?? "" })))(
    "2026 period $index: $start → $end",
    ({ start, end }) => {
      const s = utc(`${start}T00:00:00Z`);
      const e = utc(`${end}T00:00:00Z`);
      // the last instant first, so a cached earlier answer cannot hide a wrong one
      for (const at of [e - 1, s, s + 3 * DAY_MS + 5 * HOUR_MS]) {
        expect(periodAt(fourWeeks, at)).toEqual({ startMs: s, endMs: e });
      }
    },
  );

  it.each([
    { name: "2026 last period has 5 weeks (week 53)", at: "2026-12-31T12:00:00Z", days: 35 },
    { name: "2025 last period has 4 weeks", at: "2025-12-15T12:00:00Z", days: 28 },
    { name: "2025 period 1 starts 2024-12-30", at: "2024-12-30T00:00:00Z", days: 28 },
  ])("$name", ({ at, days }) => {
    expect(periodLengthMs(fourWeeks, utc(at))).toBe(days * DAY_MS);
  });

  it.each([
    { week: 1, index: 1 },
    { week: 4, index: 1 },
    { week: 5, index: 2 },
    { week: 48, index: 12 },
    { week: 49, index: 13 },
    { week: 52, index: 13 },
    { week: 53, index: 13 },
  ])("ISO week $week is in period $index", ({ week, index }) => {
    expect(fourWeekPeriodIndex(week)).toBe(index);
  });

  it.each([
    { isoYear: 2026, index: 13, start: [2026, 11, 30], end: [2027, 1, 4] },
    { isoYear: 2025, index: 13, start: [2025, 12, 1], end: [2025, 12, 29] },
    { isoYear: 2026, index: 1, start: [2025, 12, 29], end: [2026, 1, 26] },
  ])("fourWeekPeriodDays($isoYear, $index)", ({ isoYear, index, start, end }) => {
    const [sy, sm, sd] = start as [number, number, number];
    const [ey, em, ed] = end as [number, number, number];
    expect(fourWeekPeriodDays(isoYear, index)).toEqual({
      startDay: dayNumber(sy, sm, sd),
      endDay: dayNumber(ey, em, ed),
    });
  });

  it("a 4w period across the Berlin DST change is 28 days minus 1 hour", () => {
    const w: SloWindow = { type: "calendar", period: "4w", timeZone: "Europe/Berlin" };
    expect(periodAt(w, utc("2026-03-30T12:00:00Z"))).toEqual({
      startMs: utc("2026-03-23T00:00:00+01:00"),
      endMs: utc("2026-04-20T00:00:00+02:00"),
    });
    expect(periodLengthMs(w, utc("2026-03-30T12:00:00Z"))).toBe(28 * DAY_MS - HOUR_MS);
  });
});

describe("month and quarter periods", () => {
  it.each([
    {
      name: "Berlin March 2026 (spring forward)",
      tz: "Europe/Berlin",
      period: "month" as const,
      at: "2026-03-15T12:00:00Z",
      start: "2026-03-01T00:00:00+01:00",
      end: "2026-04-01T00:00:00+02:00",
      lengthMs: 31 * DAY_MS - HOUR_MS,
    },
    {
      name: "Berlin October 2026 (fall back)",
      tz: "Europe/Berlin",
      period: "month" as const,
      at: "2026-10-31T22:59:59Z",
      start: "2026-10-01T00:00:00+02:00",
      end: "2026-11-01T00:00:00+01:00",
      lengthMs: 31 * DAY_MS + HOUR_MS,
    },
    {
      name: "Berlin: 23:30Z on Feb 28 is already March",
      tz: "Europe/Berlin",
      period: "month" as const,
      at: "2026-02-28T23:30:00Z",
      start: "2026-03-01T00:00:00+01:00",
      end: "2026-04-01T00:00:00+02:00",
      lengthMs: 31 * DAY_MS - HOUR_MS,
    },
    {
      name: "New York March 2026",
      tz: "America/New_York",
      period: "month" as const,
      at: "2026-03-31T12:00:00Z",
      start: "2026-03-01T00:00:00-05:00",
      end: "2026-04-01T00:00:00-04:00",
      lengthMs: 31 * DAY_MS - HOUR_MS,
    },
    {
      name: "UTC February 2024 (leap)",
      tz: "UTC",
      period: "month" as const,
      at: "2024-02-29T23:59:59Z",
      start: "2024-02-01T00:00:00Z",
      end: "2024-03-01T00:00:00Z",
      lengthMs: 29 * DAY_MS,
    },
    {
      name: "UTC December rolls into January",
      tz: "UTC",
      period: "month" as const,
      at: "2025-12-31T00:00:00Z",
      start: "2025-12-01T00:00:00Z",
      end: "2026-01-01T00:00:00Z",
      lengthMs: 31 * DAY_MS,
    },
    {
      name: "UTC Q1 2026",
      tz: "UTC",
      period: "quarter" as const,
      at: "2026-02-10T00:00:00Z",
      start: "2026-01-01T00:00:00Z",
      end: "2026-04-01T00:00:00Z",
      lengthMs: 90 * DAY_MS,
    },
    {
      name: "Berlin Q4 2026 (fall back)",
      tz: "Europe/Berlin",
      period: "quarter" as const,
      at: "2026-12-31T22:00:00Z",
      start: "2026-10-01T00:00:00+02:00",
      end: "2027-01-01T00:00:00+01:00",
      lengthMs: 92 * DAY_MS + HOUR_MS,
    },
  ])("$name", ({ tz, period, at, start, end, lengthMs }) => {
    const w: SloWindow = { type: "calendar", period, timeZone: tz };
    expect(periodAt(w, utc(at))).toEqual({ startMs: utc(start), endMs: utc(end) });
    expect(periodLengthMs(w, utc(at))).toBe(lengthMs);
  });

  it("defaults to UTC", () => {
    expect(periodAt({ type: "calendar", period: "month" }, utc("2026-03-15T00:00:00Z"))).toEqual(
      periodAt({ type: "calendar", period: "month", timeZone: "UTC" }, utc("2026-03-15T00:00:00Z")),
    );
  });
});

describe("rolling periods", () => {
  it.each([{ days: 28 }, { days: 30 }, { days: 1 }, { days: 90 }])("$days days ends at now", ({ days }) => {
    const at = utc("2026-05-05T05:05:05Z");
    expect(periodAt({ type: "rolling", days }, at)).toEqual({ startMs: at - days * DAY_MS, endMs: at });
    expect(periodLengthMs({ type: "rolling", days }, at)).toBe(days * DAY_MS);
  });
});

describe("previousPeriods", () => {
  it.each([
    {
      name: "months",
      window: { type: "calendar", period: "month" } as SloWindow,
      at: "2026-03-15T00:00:00Z",
      expected: [
        ["2026-02-01", "2026-03-01"],
        ["2026-01-01", "2026-02-01"],
        ["2025-12-01", "2026-01-01"],
      ],
    },
    {
      name: "4w into the previous ISO year",
      window: { type: "calendar", period: "4w" } as SloWindow,
      at: "2026-01-10T00:00:00Z",
      expected: [
        ["2025-12-01", "2025-12-29"],
        ["2025-11-03", "2025-12-01"],
      ],
    },
    {
      name: "rolling 28 days",
      window: { type: "rolling", days: 28 } as SloWindow,
      at: "2026-03-29T00:00:00Z",
      expected: [
        ["2026-02-01", "2026-03-01"],
        ["2026-01-04", "2026-02-01"],
      ],
    },
  ])("$name", ({ window, at, expected }) => {
    expect(previousPeriods(window, utc(at), expected.length)).toEqual(
      expected.map(([s, e]) => ({ startMs: utc(`${s}T00:00:00Z`), endMs: utc(`${e}T00:00:00Z`) })),
    );
  });

  it("property: calendar periods tile time (contain at, previous ends where current starts)", () => {
    const windows = fc.constantFrom<SloWindow>(
      { type: "calendar", period: "4w", timeZone: "Europe/Berlin" },
      { type: "calendar", period: "month", timeZone: "America/New_York" },
      { type: "calendar", period: "quarter", timeZone: "Asia/Kolkata" },
      { type: "calendar", period: "4w" },
    );
    fc.assert(
      fc.property(
        windows,
        fc.integer({ min: utc("2000-01-01T00:00:00Z"), max: utc("2060-01-01T00:00:00Z") }),
        (w, at) => {
          const cur = periodAt(w, at);
          expect(cur.startMs).toBeLessThanOrEqual(at);
          expect(at).toBeLessThan(cur.endMs);
          const [prev] = previousPeriods(w, at, 1);
          expect(prev?.endMs).toBe(cur.startMs);
          expect(periodAt(w, cur.endMs).startMs).toBe(cur.endMs);
          const days = (cur.endMs - cur.startMs) / DAY_MS;
          expect(days).toBeGreaterThanOrEqual(27.9);
          expect(days).toBeLessThanOrEqual(92.1);
        },
      ),
    );
  });
});
