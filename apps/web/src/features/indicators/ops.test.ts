import type { TtrTrendResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { coverageSegments, coverageText, fmtDuration, fmtTtr, niceTicks, ttrTrendLine, ttrUnit } from "./ops";

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
      from: 0,
      to: 50,
      overall: { periods, meanMinutes: 72, slopePerPeriod: slope },
    } as unknown as TtrTrendResponse;
    const line = ttrTrendLine(d)!;
    // mean period index of the five incidents: (1 + 1 + 2 + 4 + 5) / 5 = 2.6
    expect(line[0]!.t).toBe(5);
    expect(line[0]!.ttr).toBeCloseTo(72 - 1.6 * slope, 9);
    expect(line[1]!.ttr).toBeCloseTo(72 + 2.4 * slope, 9);
    expect(
      ttrTrendLine({
        from: 0,
        to: 50,
        overall: { periods, meanMinutes: null, slopePerPeriod: null },
      } as unknown as TtrTrendResponse),
    ).toBeNull();
  });
});

describe("the TTR trend never runs below 0 nor out of the window", () => {
  const periods = [0, 1, 2, 3].map((k) => ({
    start: k * 10,
    end: (k + 1) * 10,
    ttrMinutes: [60],
    count: 1,
    meanMinutes: 60,
    medianMinutes: 60,
  }));
  const trend = (meanMinutes: number, slopePerPeriod: number, from = 0, to = 40) =>
    ttrTrendLine({
      from,
      to,
      overall: { periods, meanMinutes, slopePerPeriod },
    } as unknown as TtrTrendResponse);
  it("ends a falling line where it reaches 0", () => {
    // mean index 2.5: 100 at period 1, 40 at period 2, -20 at 3 → 0 two thirds of the way from 2 to 3
    const line = trend(10, -60)!;
    expect(line[0]).toEqual({ t: 5, ttr: 100 });
    expect(line[1]!.ttr).toBe(0);
    expect(line[1]!.t).toBeCloseTo(15 + (10 * 40) / 60, 9);
    expect(Math.min(...line.map((p) => p.ttr))).toBeGreaterThanOrEqual(0);
  });
  it("starts a rising line where it leaves 0", () => {
    const line = trend(10, 60)!;
    expect(line[0]!.ttr).toBe(0);
    expect(line[1]).toEqual({ t: 35, ttr: 100 });
  });
  it("draws nothing when the whole fit is below 0, and cuts it to the window", () => {
    expect(trend(-500, 1)).toBeNull();
    const line = trend(100, 10, 10, 30)!;
    expect(line.map((p) => p.t)).toEqual([10, 30]);
    expect(line[0]!.ttr).toBeCloseTo(100 + 10 * (1.5 - 2.5), 9);
    expect(line[1]!.ttr).toBeCloseTo(100 + 10 * (3.5 - 2.5), 9);
  });
});

describe("TTR units", () => {
  it("picks minutes, hours or days from the longest recovery", () => {
    expect(ttrUnit(0).label).toBe("min");
    expect(ttrUnit(90).label).toBe("min");
    expect(ttrUnit(600).label).toBe("h");
    expect(ttrUnit(432_000).label).toBe("d");
  });
  it("writes each value in that unit, short", () => {
    expect(fmtDuration(51, ttrUnit(90))).toBe("51 min");
    expect(fmtDuration(90, ttrUnit(600))).toBe("1.5 h");
    expect(fmtDuration(432_000, ttrUnit(432_000))).toBe("300 d");
    expect(fmtDuration(null, ttrUnit(1))).toBe("–");
    expect(fmtTtr(2.4)).toBe("2 min");
    expect(fmtTtr(150)).toBe("2.5 h");
  });
});

describe("niceTicks", () => {
  it("steps by 1, 2, 2.5 or 5 times a power of ten from 0 past the largest value", () => {
    expect(niceTicks(380)).toEqual([0, 100, 200, 300, 400]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0.9)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
