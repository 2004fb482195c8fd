import { NotFoundError, type AuditQuery } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import { actorLabel, type Actor } from "../auth/actor";

/** Every change records who, what, when, before and after. */
export async function recordAudit(
  db: Pick<Db, "auditLog">,
  e: {
    actor: Actor | null;
    /** Who acted when it was no actor of the API (someone in Slack). */
    by?: string;
    action: string;
    entity: string;
    entityId: string;
    teamId?: string | null;
    before?: unknown;
    after?: unknown;
  },
): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: e.by ?? actorLabel(e.actor),
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      teamId: e.teamId ?? null,
      before: e.before === undefined ? undefined : (JSON.parse(JSON.stringify(e.before)) as object),
      after: e.after === undefined ? undefined : (JSON.parse(JSON.stringify(e.after)) as object),
    },
  });
}

/** The audit log, newest first, filtered by entity, team and time. */
export async function listAudit(deps: { db: Db; query: z.infer<typeof AuditQuery> }) {
  const { db, query } = deps;
  let teamId: string | undefined;
  if (query.team) {
    const team = await db.team.findUnique({ where: { slug: query.team } });
    if (!team) throw new NotFoundError("team", query.team);
    teamId = team.id;
  }
  const rows = await db.auditLog.findMany({
    where: {
      ...(query.entity ? { entity: query.entity } : {}),
      ...(query.entityId ? { entityId: query.entityId } : {}),
      ...(teamId ? { teamId } : {}),
      ...(query.from || query.to
        ? {
            at: {
              ...(query.from ? { gte: new Date(query.from) } : {}),
              ...(query.to ? { lte: new Date(query.to) } : {}),
            },
          }
        : {}),
    },
    orderBy: { at: "desc" },
    take: query.limit,
    skip: query.offset,
  });
  const teams = new Map(
    (await db.team.findMany({ select: { id: true, slug: true } })).map((t) => [t.id, t.slug]),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    team: r.teamId ? (teams.get(r.teamId) ?? null) : null,
    before: r.before,
    after: r.after,
  }));
}
