import type { AlertEscalationResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";

/** An alert's escalation: where it stands and every notification it sent or tried (null = none started). */
export async function alertEscalation(db: Db, alertId: string): Promise<AlertEscalationResponse | null> {
  const [esc, sent] = await Promise.all([
    db.alertEscalation.findUnique({ where: { alertId } }),
    db.escalationNotification.findMany({
      where: { alertId },
      orderBy: [{ dueAt: "asc" }, { pass: "asc" }, { step: "asc" }, { target: "asc" }, { channel: "asc" }],
    }),
  ]);
  if (!esc) return null;
  return {
    policyId: esc.policyId,
    pass: esc.pass,
    step: esc.step,
    nextAt: esc.nextAt?.toISOString() ?? null,
    stopReason: esc.stopReason,
    notified: sent.map((n) => ({
      target: n.target,
      at: n.sentAt?.toISOString() ?? null,
      channel: n.channel,
      status: n.status,
      pass: n.pass,
      step: n.step,
      error: n.error,
    })),
  };
}
