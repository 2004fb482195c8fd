import { describe, expect, it } from "vitest";
import { addMonths, isMonth, ticketTrend } from "./ticket-trend";

describe("addMonths", () => {
  it.each([
    ["2026-01", 1, "2026-02"],
    ["2026-12", 1, "2027-01"],
    ["2026-01", -1, "2025-12"],
    ["2026-03", -14, "2025-01"],
    ["2026-06", 0, "2026-06"],
  ])("%s + %i = %s", (m, n, out) => expect(addMonths(m, n)).toBe(out));
  it("refuses what is not a month", () => expect(() => addMonths("2026-13", 1)).toThrow(RangeError));
});

describe("isMonth", () => {
  it.each([
    ["2026-01", true],
    ["2026-12", true],
    ["2026-00", false],
    ["2026-13", false],
    ["2026-1", false],
    ["26-01", false],
  ])("%s: %s", (m, ok) => expect(isMonth(m)).toBe(ok));
});

describe("ticketTrend", () => {
  it.each([
    {
      name: "the book's shape: falling, then rising to an all-time high",
      counts: [
        ["2026-01", 40],
        ["2026-02", 30],
        ["2026-03", 36],
        ["2026-04", 54],
      ],
      to: "2026-04",
      rates: [null, -0.25, 0.2, 0.5],
      average: (-0.25 + 0.2 + 0.5) / 3,
      direction: "up",
      total: 160,
    },
    {
      name: "a month without counts is 0, and the month after it has no growth rate",
      counts: [
        ["2026-01", 10],
        ["2026-03", 5],
      ],
      to: "2026-03",
      rates: [null, -1, null],
      average: -1,
      direction: "down",
      total: 15,
    },
    {
      name: "no tickets at all",
      counts: [],
      to: "2026-03",
      rates: [null, null, null],
      average: null,
      direction: null,
      total: 0,
    },
    {
      name: "steady counts",
      counts: [
        ["2026-01", 7],
        ["2026-02", 7],
        ["2026-03", 7],
      ],
      to: "2026-03",
      rates: [null, 0, 0],
      average: 0,
      direction: "flat",
      total: 21,
    },
    {
      name: "several rows of one month add up; months outside the window are left out",
      counts: [
        ["2025-12", 99],
        ["2026-01", 4],
        ["2026-01", 6],
        ["2026-02", 15],
        ["2026-03", 12],
        ["2026-04", 1],
      ],
      to: "2026-03",
      rates: [null, 0.5, -0.2],
      average: (0.5 - 0.2) / 2,
      direction: "up",
      total: 37,
    },
  ] as const)("$name", ({ counts, to, rates, average, direction, total }) => {
    const t = ticketTrend(
      counts.map(([month, count]) => ({ month, count })),
      "2026-01",
      to,
    );
    expect(t.points.map((p) => p.month)).toEqual(rates.map((_, i) => addMonths("2026-01", i)));
    const got = t.points.map((p) => p.growthRate);
    rates.forEach((r, i) => (r === null ? expect(got[i]).toBeNull() : expect(got[i]).toBeCloseTo(r, 12)));
    if (average === null) expect(t.averageGrowthRate).toBeNull();
    else expect(t.averageGrowthRate).toBeCloseTo(average, 12);
    expect(t.direction).toBe(direction);
    expect(t.total).toBe(total);
  });
});
