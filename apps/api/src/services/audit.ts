import type { Db } from "@burnrate/db";
import { actorLabel, type Actor } from "../auth/actor";

/** Every change records who, what, when, before and after. */
export async function recordAudit(
  db: Pick<Db, "auditLog">,
  e: {
    actor: Actor | null;
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
      actor: actorLabel(e.actor),
      action: e.action,
      entity: e.entity,
      entityId: e.entityId,
      teamId: e.teamId ?? null,
      before: e.before === undefined ? undefined : (JSON.parse(JSON.stringify(e.before)) as object),
      after: e.after === undefined ? undefined : (JSON.parse(JSON.stringify(e.after)) as object),
    },
  });
}
