import type { ReportFilterQuery, SloResponse } from "@burnrate/contracts";
import { findSlos, type Db } from "@burnrate/db";
import type { SloModel } from "@burnrate/slo-core";

/** An SLO as the reports need it: its API shape, the ids the SQL needs, and its slo-core model at `nowMs`. */
export interface ReportSlo {
  slo: SloResponse;
  serviceId: string;
  endpointId: string | null;
  model: SloModel;
}

/** Most SLOs a report covers in one answer (the overview's 1,000 SLO×region fit in it several times). */
export const MAX_REPORT_SLOS = 5000;

/** The SLOs matching the report filters (explicit ones, plus default ones when asked), ordered by service and name. */
export async function loadReportSlos(db: Db, filter: ReportFilterQuery, nowMs: number): Promise<ReportSlo[]> {
  const slos = await findSlos(db, {
    where: {
      ...(filter.includeDefaults ? {} : { kind: "explicit" }),
      ...(filter.service || filter.team
        ? {
            service: {
              ...(filter.service ? { slug: filter.service } : {}),
              ...(filter.team ? { team: { slug: filter.team } } : {}),
            },
          }
        : {}),
      ...(filter.sli ? { sli: { path: ["type"], equals: filter.sli } } : {}),
    },
    orderBy: [{ service: { slug: "asc" } }, { name: "asc" }],
    take: MAX_REPORT_SLOS,
  });
  return slos.map((s) => ({
    slo: s.response,
    serviceId: s.row.serviceId,
    endpointId: s.row.endpointId,
    model: s.model(nowMs),
  }));
}

/** Region slug -> id, for the region filter (null when absent or "all"); unknown slugs name nothing (empty report). */
export async function regionIds(db: Db): Promise<Map<string, string>> {
  return new Map((await db.region.findMany({ select: { id: true, slug: true } })).map((r) => [r.id, r.slug]));
}

export const sloRef = (s: SloResponse) => ({
  sloId: s.id,
  name: s.name,
  service: s.service,
  team: s.team,
  endpoint: s.endpoint,
  sli: s.sli.type,
  objectivePercent: s.objectivePercent,
  kind: s.kind,
});

/** "28-day rolling", "4 weeks", "calendar month", "calendar quarter". */
export function windowLabel(w: SloResponse["window"]): string {
  if (w.type === "rolling") return `${w.days}-day rolling`;
  return w.period === "4w" ? "4 weeks" : `calendar ${w.period}`;
}
