import type { PreviewResponse, SloSeriesResponse } from "@burnrate/contracts";

/** The preview in the shape the SLO page's charts draw (same charts, same scales). */
export function previewToSeries(p: PreviewResponse): SloSeriesResponse {
  return {
    sloId: "preview",
    region: null,
    from: p.from,
    to: p.to,
    stepMs: p.stepMs,
    objectivePercent: p.objectivePercent,
    points: p.points,
    periods: p.periods,
    thresholds: p.thresholds,
    deployments: p.deployments,
  };
}
