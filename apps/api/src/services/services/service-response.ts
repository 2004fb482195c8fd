import { compressStatuses, type ServiceResponse } from "@burnrate/contracts";
import type { Db, Prisma } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";

/** What a service's answer needs besides its own row: its team, and its endpoints in a stable order. */
export const SERVICE_INCLUDE = {
  team: true,
  endpoints: { orderBy: [{ route: "asc" as const }, { method: "asc" as const }] },
};
export type ServiceRow = Prisma.ServiceGetPayload<{ include: typeof SERVICE_INCLUDE }>;

export function toServiceResponse(s: ServiceRow): ServiceResponse {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    team: s.team.slug,
    description: s.description,
    runbookUrl: s.runbookUrl,
    tier: s.tier,
    failureStatuses: compressStatuses(s.failureStatuses),
    endpoints: s.endpoints.map((e) => ({ id: e.id, method: e.method, route: e.route })),
    lastSeenAt: s.lastSeenAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

/**
 * Records a change to a service in the audit log, under the team that owns it afterwards (before, for a
 * delete), each side as the API answers it; returns the answer after the change (before, for a delete).
 */
export async function auditService(
  db: Db,
  actor: Actor | null,
  action: "create" | "update" | "delete",
  rows: { before?: ServiceRow; after?: ServiceRow },
): Promise<ServiceResponse> {
  const row = (rows.after ?? rows.before)!;
  const before = rows.before && toServiceResponse(rows.before);
  const after = rows.after && toServiceResponse(rows.after);
  await recordAudit(db, {
    actor,
    action,
    entity: "service",
    entityId: row.id,
    teamId: row.teamId,
    before,
    after,
  });
  return (after ?? before)!;
}
