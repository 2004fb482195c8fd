import type { Db } from "./client";

/**
 * Records a webhook event (policy.enacted, slo.changed) for the team's webhook receivers. Written with the
 * change it reports (pass the change's transaction), so that an event exists exactly when its change does;
 * the worker delivers it (its job, or the receiver sweep when that job was lost).
 */
export async function recordWebhookEvent(
  db: Pick<Db, "webhookEvent">,
  e: { type: "policy.enacted" | "slo.changed"; teamId: string; occurredAt: Date; payload: object },
): Promise<string> {
  const row = await db.webhookEvent.create({
    data: { type: e.type, teamId: e.teamId, occurredAt: e.occurredAt, payload: e.payload },
    select: { id: true },
  });
  return row.id;
}
