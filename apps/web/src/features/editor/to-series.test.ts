import type { PreviewResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { previewToSeries } from "./to-series";

describe("previewToSeries", () => {
  it("gives the SLO page's charts the preview's points, periods, thresholds and deployments", () => {
    const preview = {
      from: 0,
      to: 120_000,
      stepMs: 60_000,
      objectivePercent: 99.5,
      points: [
        { t: 60_000, good: 99, total: 100, sli: 0.99, remaining: -1, burnRate1h: 2, burnRates: { "1h": 2 } },
      ],
      periods: [{ start: 0, end: 120_000 }],
      thresholds: [
        { tier: "fast-page", severity: "page", factor: 14.4, longWindow: "1h", shortWindow: "5m" },
      ],
      deployments: [{ at: 30_000, version: "v2", kind: "deploy", region: null, endsAt: null }],
    } as unknown as PreviewResponse;
    expect(previewToSeries(preview)).toEqual({
      sloId: "preview",
      region: null,
      from: 0,
      to: 120_000,
      stepMs: 60_000,
      objectivePercent: 99.5,
      points: preview.points,
      periods: preview.periods,
      thresholds: preview.thresholds,
      deployments: preview.deployments,
    });
  });
});
