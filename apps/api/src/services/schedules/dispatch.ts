import { ValidationError, type DispatchResponse } from "@burnrate/contracts";
import { routeOncall, type Db } from "@burnrate/db";

/**
 * Who gets an alert of a team's (or a service's team's) service in a region at `atMs`: routeOncall's answer
 * (the team's schedule in its hours, else the region's: book Table 7.9), with the people it names.
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
  const routed = await routeOncall(db, { teamId, regionKey: deps.region ?? null, atMs: deps.atMs });
  if (!routed)
    return { at: new Date(deps.atMs).toISOString(), dispatch: "none", schedule: null, positions: {} };
  const positions: DispatchResponse["positions"] = {};
  for (const p of routed.positions) {
    const h = routed.holders[p];
    positions[p] = h
      ? {
          ...(routed.people.get(h.member) ?? { email: "", name: "(deleted user)" }),
          source: h.source,
          layer: h.layer,
        }
      : null;
  }
  return {
    at: new Date(deps.atMs).toISOString(),
    dispatch: routed.dispatch,
    schedule: { id: routed.row.id, name: routed.row.name, scope: routed.row.scope },
    positions,
  };
}
