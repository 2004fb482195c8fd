import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DAY_MS as DAY, HOUR_MS, MINUTE_MS } from "./time-units.js";
import {
  dateOfDayNumber,
  dayNumber,
  isTimeZone,
  utcMs,
  zoneOffsetMs,
  zonedParts,
  zonedTimeToUtc,
} from "./time-zone.js";

describe("zonedTimeToUtc", () => {
  it.each([
    { name: "UTC midnight", tz: "UTC", date: { year: 2026, month: 3, day: 1 }, iso: "2026-03-01T00:00:00Z" },
    {
      name: "Berlin winter (+01:00)",
      tz: "Europe/Berlin",
      date: { year: 2026, month: 3, day: 1 },
      iso: "2026-03-01T00:00:00+01:00",
    },
    {
      name: "Berlin summer (+02:00)",
      tz: "Europe/Berlin",
      date: { year: 2026, month: 4, day: 1 },
      iso: "2026-04-01T00:00:00+02:00",
    },
    {
      name: "New York after spring-forward",
      tz: "America/New_York",
      date: { year: 2026, month: 3, day: 9 },
      iso: "2026-03-09T00:00:00-04:00",
    },
    {
      name: "Kathmandu (+05:45)",
      tz: "Asia/Kathmandu",
      date: { year: 2026, month: 1, day: 1 },
      iso: "2026-01-01T00:00:00+05:45",
    },
    {
      name: "Santiago: midnight skipped, day starts 01:00 -03",
      tz: "America/Santiago",
      date: { year: 2026, month: 9, day: 6 },
      iso: "2026-09-06T01:00:00-03:00",
    },
    {
      name: "Beirut: midnight skipped, day starts 01:00 +03",
      tz: "Asia/Beirut",
      date: { year: 2026, month: 3, day: 29 },
      iso: "2026-03-29T01:00:00+03:00",
    },
    {
      name: "Berlin fall-back ambiguous 02:30 → earlier (+02:00)",
      tz: "Europe/Berlin",
      date: { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
      iso: "2026-10-25T02:30:00+02:00",
    },
  ])("$name", ({ tz, date, iso }) => {
    expect(zonedTimeToUtc(date, tz)).toBe(Date.parse(iso));
  });

  it("throws RangeError for an unknown zone", () => {
    expect(() => zonedParts(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  const zones = fc.constantFrom(
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "America/Santiago",
  );
  it("property: local midnight maps back to a wall clock on that date, at or after midnight", () => {
    fc.assert(
      fc.property(
        zones,
        fc.integer({ min: dayNumber(1990, 1, 1), max: dayNumber(2060, 1, 1) }),
        (tz, dayNum) => {
          const date = dateOfDayNumber(dayNum);
          const t = zonedTimeToUtc(date, tz);
          const p = zonedParts(t, tz);
          expect({ year: p.year, month: p.month, day: p.day }).toEqual(date);
          expect(p.hour * HOUR_MS + p.minute * MINUTE_MS).toBeLessThanOrEqual(HOUR_MS);
          // one minute earlier is the previous day
          const before = zonedParts(t - MINUTE_MS, tz);
          expect(dayNumber(before.year, before.month, before.day)).toBe(dayNum - 1);
        },
      ),
    );
  });

  it("property: offset reproduces the wall clock", () => {
    fc.assert(
      fc.property(zones, fc.integer({ min: 0, max: 3_000_000_000 }), (tz, seconds) => {
        const t = seconds * 1000;
        const p = zonedParts(t, tz);
        expect(t + zoneOffsetMs(t, tz)).toBe(
          Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second),
        );
      }),
    );
  });
});

describe("dayNumber", () => {
  it.each([
    { y: 1970, m: 1, d: 1, n: 0 },
    { y: 1970, m: 1, d: 2, n: 1 },
    { y: 1969, m: 12, d: 31, n: -1 },
    { y: 2000, m: 3, d: 1, n: 11017 },
  ])("$y-$m-$d is day $n", ({ y, m, d, n }) => {
    expect(dayNumber(y, m, d)).toBe(n);
    expect(dateOfDayNumber(n)).toEqual({ year: y, month: m, day: d });
  });
});

describe("isTimeZone", () => {
  it.each([
    { tz: "UTC", expected: true },
    { tz: "Europe/Berlin", expected: true },
    { tz: "America/New_York", expected: true },
    { tz: "Mars/Olympus", expected: false },
    { tz: "", expected: false },
    { tz: "not a zone", expected: false },
  ])("$tz → $expected", ({ tz, expected }) => {
    expect(isTimeZone(tz)).toBe(expected);
  });
});

describe("utcMs", () => {
  it.each([
    [2026, 12, 6, 9, 30, "2026-12-06T09:30:00.000Z"],
    [50, 1, 1, 0, 0, "0050-01-01T00:00:00.000Z"],
    [99, 12, 31, 23, 59, "0099-12-31T23:59:00.000Z"],
    [100, 2, 28, 12, 0, "0100-02-28T12:00:00.000Z"],
  ])("%i-%i-%i %i:%i is %s (years below 100 are not read as 19xx)", (y, mo, d, h, mi, iso) => {
    expect(new Date(utcMs(y, mo, d, h, mi)).toISOString()).toBe(iso);
  });
  it("dayNumber and zonedTimeToUtc agree with it in year 50", () => {
    expect(dayNumber(50, 1, 1) * DAY).toBe(utcMs(50, 1, 1));
    expect(new Date(zonedTimeToUtc({ year: 50, month: 6, day: 1, hour: 12 }, "UTC")).toISOString()).toBe(
      "0050-06-01T12:00:00.000Z",
    );
  });
});
