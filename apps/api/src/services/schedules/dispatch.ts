import { ValidationError, type DispatchResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { holdersAt } from "@burnrate/slo-core";
import { listScheduleRows, scheduleModel, type ScheduleRow } from "./schedule-model";

/**
 * Who gets an alert of a team's service in a region at `atMs` (book Table 7.9): a schedule of the team (its
 * own first, then its domains') that is on duty then — business hours; otherwise a schedule of the region —
 * out of hours; otherwise nobody. Among several on duty, the oldest schedule answers.
 */
export async function dispatchOncall(deps: {
  db: Db;
  team?: string;
  service?: string;
  region?: string;
  atMs: number;
}): Promise<DispatchResponse> {
  const { db } = deps;
  let teamId: string | null = null;
  if (deps.service) {
    const svc = await db.service.findUnique({ where: { slug: deps.service } });
    if (!svc)
      throw new ValidationError(`query field 'service': service '${deps.service}' does not exist`, {
        field: "service",
      });
    teamId = svc.teamId;
  } else if (deps.team) {
    const team = await db.team.findUnique({ where: { slug: deps.team } });
    if (!team)
      throw new ValidationError(`query field 'team': team '${deps.team}' does not exist`, { field: "team" });
    teamId = team.id;
  }
  const byAge = (a: ScheduleRow, b: ScheduleRow) =>
    (a.scope === "team" ? 0 : 1) - (b.scope === "team" ? 0 : 1) ||
    a.createdAt.getTime() - b.createdAt.getTime();
  const tiers: ["team" | "region", ScheduleRow[]][] = [
    ["team", teamId ? (await listScheduleRows(db, { teamId })).sort(byAge) : []],
    [
      "region",
      deps.region
        ? (await listScheduleRows(db, { regionKey: deps.region }))
            .filter((r) => r.scope === "region")
            .sort(byAge)
        : [],
    ],
  ];
  for (const [dispatch, rows] of tiers)
    for (const row of rows) {
      const { model, people } = await scheduleModel(db, row, deps.atMs);
      const holders = holdersAt(model, deps.atMs);
      if (!model.positions.some((p) => holders[p])) continue;
      const positions: DispatchResponse["positions"] = {};
      for (const p of model.positions) {
        const h = holders[p];
        positions[p] = h
          ? {
              ...(people.get(h.member) ?? { email: "", name: "(deleted user)" }),
              source: h.source,
              layer: h.layer,
            }
          : null;
      }
      return {
        at: new Date(deps.atMs).toISOString(),
        dispatch,
        schedule: { id: row.id, name: row.name, scope: row.scope },
        positions,
      };
    }
  return { at: new Date(deps.atMs).toISOString(), dispatch: "none", schedule: null, positions: {} };
}
