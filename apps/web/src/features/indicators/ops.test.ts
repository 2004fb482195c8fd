import type { TtrTrendResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { coverageSegments, coverageText, ttrTrendLine } from "./ops";

const every = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

describe("coverage", () => {
  it("writes daily ranges plainly and other days with their names", () => {
    expect(
      coverageText([
        {
          days: [...every],
          ranges: [
            { from: 480, to: 960 },
            { from: 1140, to: 1260 },
          ],
        },
      ]),
    ).toBe("08:00–16:00, 19:00–21:00");
    expect(coverageText([{ days: ["mon", "tue"], ranges: [{ from: 540, to: 1020 }] }])).toBe(
      "mon tue: 09:00–17:00",
    );
    expect(coverageText([])).toBe("none");
  });
  it("cuts a day into covered and uncovered segments that add up to 24 h", () => {
    const segs = coverageSegments([
      {
        days: [...every],
        ranges: [
          { from: 60, to: 300 },
          { from: 420, to: 1140 },
        ],
      },
    ]);
    expect(segs).toEqual([
      { from: 0, to: 60, covered: false },
      { from: 60, to: 300, covered: true },
      { from: 300, to: 420, covered: false },
      { from: 420, to: 1140, covered: true },
      { from: 1140, to: 1440, covered: false },
    ]);
    expect(coverageSegments([])).toEqual([{ from: 0, to: 1440, covered: false }]);
  });
});

describe("ttrTrendLine", () => {
  it("draws the book's Fig 11.15 trend through the mean, rising by slopePerPeriod per period", () => {
    const periods = [[30, 90], [60], [], [60], [120]].map((ttr, k) => ({
      start: k * 10,
      end: (k + 1) * 10,
      ttrMinutes: ttr,
      count: ttr.length,
      meanMinutes: null,
      medianMinutes: null,
    }));
    const slope = (2.5 * 72) / 16.5;
    const d = {
      overall: { periods, meanMinutes: 72, slopePerPeriod: slope },
    } as unknown as TtrTrendResponse;
    const line = ttrTrendLine(d)!;
    // mean period index of the five incidents: (1 + 1 + 2 + 4 + 5) / 5 = 2.6
    expect(line[0]!.t).toBe(5);
    expect(line[0]!.ttr).toBeCloseTo(72 - 1.6 * slope, 9);
    expect(line[1]!.ttr).toBeCloseTo(72 + 2.4 * slope, 9);
    expect(
      ttrTrendLine({
        overall: { periods, meanMinutes: null, slopePerPeriod: null },
      } as unknown as TtrTrendResponse),
    ).toBeNull();
  });
});
