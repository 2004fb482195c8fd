import { describe, expect, it } from "vitest";
import { PreviewResponse } from "./reports";
import { SloSeriesResponse } from "./status";

describe("PreviewResponse", () => {
  it("is the series response without the SLO's id and region, plus the editor's numbers", () => {
    const series = Object.keys(SloSeriesResponse.shape).filter((k) => k !== "sloId" && k !== "region");
    expect(Object.keys(PreviewResponse.shape)).toEqual([
      ...series,
      "status",
      "replay",
      "guardrail",
      "dailySlis",
    ]);
  });

  it("parses a preview whose series part is a series response's", () => {
    const series: Omit<SloSeriesResponse, "sloId" | "region"> = {
      from: 0,
      to: 120_000,
      stepMs: 60_000,
      objectivePercent: 99.9,
      points: [
        {
          t: 60_000,
          good: 999,
          total: 1000,
          sli: 0.999,
          remaining: 0.5,
          burnRate1h: 1,
          burnRates: { "1h": 1 },
        },
      ],
      periods: [{ start: 0, end: 120_000 }],
      thresholds: [
        { tier: "fast-page", severity: "page", factor: 14.4, longWindow: "1h", shortWindow: "5m" },
      ],
      deployments: [{ at: 60_000, version: "v1", kind: "deployment", region: null, endsAt: null }],
    };
    const preview = {
      ...series,
      status: {
        period: { start: "1970-01-01T00:00:00.000Z", end: "1970-01-01T00:02:00.000Z" },
        sli: { good: 999, total: 1000, ratio: 0.999 },
        errorBudget: { allowed: 1, bad: 1, remainingFraction: 0, unit: "requests" },
      },
      replay: { pages: 0, tickets: 0, firedAt: [], episodes: [], events: [] },
      guardrail: {
        stricterThanHistory: false,
        bestSli: null,
        worstSli: null,
        daysBelowObjective: 0,
        daysWithData: 0,
      },
      dailySlis: [],
    };
    expect(PreviewResponse.parse({ ...preview, sloId: "x", region: "eu" })).toEqual(preview);
  });
});
