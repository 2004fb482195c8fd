import {
  AlertingSpec,
  SliSpec,
  WindowSpec,
  describeSlo,
  formatEndpoint,
  type SloResponse,
} from "@burnrate/contracts";
import {
  DEFAULT_LOW_TRAFFIC_GUARD,
  percentToObjective,
  periodLengthMs,
  resolveTiers,
  type AlertSnapshot,
  type SloModel,
  type SloWindow,
} from "@burnrate/slo-core";
import type { Prisma } from "./generated/prisma/client";

export type SloWithService = Prisma.SloGetPayload<{
  include: { service: { include: { team: true } }; endpoint: true };
}>;

/** Row -> API shape. JSON columns are parsed with the contracts, so a bad row fails loudly here. */
export function toSloResponse(row: SloWithService): SloResponse {
  const sli = SliSpec.parse(row.sli);
  const window = WindowSpec.parse(row.window);
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
    budgetingMethod: row.budgetingMethod === "timeslices" ? "timeslices" : "occurrences",
    priority: (row.priority as SloResponse["priority"]) ?? null,
    journeyStep: row.journeyStep,
    customerSegment: row.customerSegment,
    runbookUrl: row.runbookUrl,
    alerting: row.alerting == null ? null : AlertingSpec.parse(row.alerting),
    version: row.version,
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

/** The slo-core model of an SLO: objective as a fraction, resolved tiers for its period, low-traffic guard. */
export function toSloModel(
  slo: Pick<SloResponse, "objectivePercent" | "window" | "budgetingMethod" | "alerting">,
  atMs: number,
): SloModel {
  const window: SloWindow =
    slo.window.type === "calendar" ? { ...slo.window, timeZone: slo.window.timeZone ?? "UTC" } : slo.window;
  return {
    objective: percentToObjective(slo.objectivePercent),
    window,
    method: slo.budgetingMethod,
    tiers: resolveTiers(slo.alerting, periodLengthMs(window, atMs)),
    guard: slo.alerting?.lowTraffic ?? DEFAULT_LOW_TRAFFIC_GUARD,
  };
}

/** An alert row as the slo-core state machine sees it. */
export function alertSnapshotOf(a: {
  state: string;
  severity: string;
  snoozedUntil: Date | null;
  firedAt: Date;
  acknowledgedBy: string | null;
}): AlertSnapshot {
  return {
    state: a.state as AlertSnapshot["state"],
    severity: a.severity as AlertSnapshot["severity"],
    snoozedUntilMs: a.snoozedUntil?.getTime() ?? null,
    firedAtMs: a.firedAt.getTime(),
    ackedBy: a.acknowledgedBy,
  };
}
