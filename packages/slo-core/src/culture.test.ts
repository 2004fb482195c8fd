import { describe, expect, it } from "vitest";
import { cultureMean, cultureTrend, cultureType } from "./culture";

const s = (...v: number[]) => ({
  cooperation: v[0]!,
  messengers: v[1]!,
  responsibilities: v[2]!,
  bridging: v[3]!,
  failure: v[4]!,
  novelty: v[5]!,
});

describe("culture self-assessment", () => {
  it("classifies the mean score with Westrum's three types", () => {
    expect(cultureMean(s(1, 2, 3, 4, 5, 3))).toBe(3);
    expect([2.49, 2.5, 3.49, 3.5].map(cultureType)).toEqual([
      "pathological",
      "bureaucratic",
      "bureaucratic",
      "generative",
    ]);
  });
  it("averages each aspect over the teams that answered in each quarter", () => {
    const trend = cultureTrend(
      [
        { quarter: "2026-Q3", scores: s(2, 2, 2, 2, 2, 2) },
        { quarter: "2026-Q4", scores: s(4, 4, 3, 4, 5, 4) },
        { quarter: "2026-Q4", scores: s(2, 3, 3, 2, 4, 2) },
      ],
      ["2026-Q2", "2026-Q3", "2026-Q4"],
    );
    expect(trend.map((q) => [q.quarter, q.teams])).toEqual([
      ["2026-Q2", 0],
      ["2026-Q3", 1],
      ["2026-Q4", 2],
    ]);
    expect([trend[0]!.mean, trend[1]!.mean]).toEqual([null, 2]);
    // the mean of the teams' means: (4 + 16/6) / 2
    expect(trend[2]!.mean).toBeCloseTo(10 / 3, 12);
    expect(trend[2]!.means).toEqual(s(3, 3.5, 3, 3, 4.5, 3));
    expect(trend[0]!.means.failure).toBeNull();
  });
});
