import type { Db } from "./client";

/**
 * Records a webhook event (policy.enacted, slo.changed) for the team's webhook receivers. Written with the
 * change it reports (pass the change's transaction), so that an event exists exactly when its change does;
 * the worker delivers it (its job, or the receiver sweep when that job was lost). No event is recorded (null)
 * when no enabled webhook receiver of the team takes the type: there is no one to deliver it to.
 */
export async function recordWebhookEvent(
  db: Pick<Db, "webhookEvent" | "receiver">,
  e: { type: "policy.enacted" | "slo.changed"; teamId: string; occurredAt: Date; payload: object },
): Promise<string | null> {
  const taker = await db.receiver.findFirst({
    where: {
      teamId: e.teamId,
      kind: "webhook",
      enabled: true,
      OR: [{ events: { isEmpty: true } }, { events: { has: e.type } }],
    },
    select: { id: true },
  });
  if (!taker) return null;
  const row = await db.webhookEvent.create({
    data: { type: e.type, teamId: e.teamId, occurredAt: e.occurredAt, payload: e.payload },
    select: { id: true },
  });
  return row.id;
}

type EnactmentRow = {
  id: string;
  policyId: string;
  conditionId: string;
  sloId: string | null;
  regionKey: string | null;
  manual: boolean;
  openedAt: Date;
  closedAt: Date | null;
  openedBy: string | null;
  closedBy: string | null;
  reason: string | null;
  detail: unknown;
};

/**
 * The `policy` of a policy.enacted event: the enactment that came into force (state "enacted") or ended
 * ("ended"), for which condition and (automatic ones) which SLO × region, with the numbers that opened it.
 */
export function policyEnactedPayload(
  e: EnactmentRow,
  state: "enacted" | "ended",
  o: {
    team: string;
    consequences: string[] | null;
    slo: { id: string; name: string; service: string } | null;
  },
) {
  return {
    id: e.policyId,
    enactmentId: e.id,
    state,
    team: o.team,
    condition: e.conditionId,
    manual: e.manual,
    consequences: o.consequences,
    slo: o.slo ? { id: o.slo.id, name: o.slo.name } : e.sloId ? { id: e.sloId, name: null } : null,
    service: o.slo?.service ?? null,
    region: e.regionKey,
    openedAt: e.openedAt.toISOString(),
    closedAt: e.closedAt?.toISOString() ?? null,
    openedBy: e.openedBy,
    closedBy: e.closedBy,
    reason: e.reason,
    detail: e.detail ?? null,
  };
}

/**
 * Records the policy.enacted event of an enactment that came into force ("enacted", at its opening) or ended
 * ("ended", at its closing), in the caller's transaction; null when no receiver of the team takes it.
 */
export function recordEnactmentEvent(
  db: Pick<Db, "webhookEvent" | "receiver">,
  e: EnactmentRow,
  state: "enacted" | "ended",
  o: {
    teamId: string;
    team: string;
    consequences: string[] | null;
    slo: { id: string; name: string; service: string } | null;
  },
): Promise<string | null> {
  const occurredAt = state === "enacted" ? e.openedAt : e.closedAt;
  if (!occurredAt) throw new Error(`enactment ${e.id} has not ended`);
  return recordWebhookEvent(db, {
    type: "policy.enacted",
    teamId: o.teamId,
    occurredAt,
    payload: policyEnactedPayload(e, state, o),
  });
}
