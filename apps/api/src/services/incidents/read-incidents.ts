import { NotFoundError, type IncidentResponse, type ListIncidentsQuery } from "@burnrate/contracts";
import type { Db, Prisma } from "@burnrate/db";
import { incidentInclude, toIncidentResponse } from "./incident-response";

export async function listIncidents(deps: {
  db: Db;
  query: ListIncidentsQuery;
}): Promise<IncidentResponse[]> {
  const q = deps.query;
  const team = q.team ? await deps.db.team.findUnique({ where: { slug: q.team } }) : null;
  if (q.team && !team) throw new NotFoundError("team", q.team);
  const where: Prisma.IncidentWhereInput = {
    ...(q.state === "open" ? { state: { not: "resolved" } } : q.state ? { state: q.state } : {}),
    ...(team ? { teamIds: { has: team.id } } : {}),
  };
  const rows = await deps.db.incident.findMany({
    where,
    include: incidentInclude,
    orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { startedAt: "desc" }],
    take: q.limit,
  });
  return Promise.all(rows.map((r) => toIncidentResponse(deps.db, r, false)));
}

export async function getIncident(deps: { db: Db; id: string }): Promise<IncidentResponse> {
  const row = await deps.db.incident.findUnique({ where: { id: deps.id }, include: incidentInclude });
  if (!row) throw new NotFoundError("incident", deps.id);
  return toIncidentResponse(deps.db, row, true);
}
