import { describeSlo, formatEndpoint, SourceAuthResponse, type SloResponse } from "@burnrate/contracts";
import { parseSloSpec, type SloSpec, type SloWithService } from "./slo-row";

/** Row -> API shape. JSON columns are parsed with the contracts, so a bad row fails loudly here. */
export function toSloResponse(row: SloWithService): SloResponse {
  return sloResponseOf(row, parseSloSpec(row));
}

/** Row -> API shape, with its specification already parsed (LoadedSlo). */
export function sloResponseOf(row: SloWithService, spec: SloSpec): SloResponse {
  const { sli, window } = spec;
  const endpoint = row.endpoint ? formatEndpoint(row.endpoint) : null;
  return {
    id: row.id,
    service: row.service.slug,
    team: row.service.team.slug,
    name: row.name,
    description: row.description,
    endpoint,
    sli,
    objectivePercent: row.objectivePercent,
    window,
    budgetingMethod: spec.budgetingMethod,
    priority: (row.priority as SloResponse["priority"]) ?? null,
    journeyStep: row.journeyStep,
    customerSegment: row.customerSegment,
    runbookUrl: row.runbookUrl,
    alerting: spec.alerting,
    sourceAuth: row.sourceAuth == null ? null : SourceAuthResponse.parse(row.sourceAuth),
    version: row.version,
    reviewEveryDays: row.reviewEveryDays,
    backfillPercent: row.backfillPercent,
    kind: row.kind === "default" ? "default" : "explicit",
    sentence: describeSlo({
      objectivePercent: row.objectivePercent,
      endpoint,
      service: row.service.slug,
      sli,
      window,
    }),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The fields of an SLO that a version records. */
export function sloSnapshot(s: SloResponse): Record<string, unknown> {
  const {
    id: _id,
    createdAt: _c,
    updatedAt: _u,
    version: _v,
    backfillPercent: _b,
    sentence: _s,
    kind: _k,
    ...rest
  } = s;
  return rest;
}
