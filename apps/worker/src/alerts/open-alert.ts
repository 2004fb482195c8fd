import type { Db } from "@burnrate/db";
import type { Enqueue } from "../catalog";
import { enqueueNotice, startEscalations } from "../jobs/escalation/start-escalations";
import { suppressedDetail, type Suppression } from "./suppression";

/** A new alert: its SLO × region × kind, what it opens with, and its first event. */
export interface NewAlert {
  sloId: string;
  regionKey: string;
  kind: "burn_rate" | "no_data";
  severity: string;
  priority: string | null;
  tiers: object[];
  nowMs: number;
  eventKind: string;
  detail: Record<string, unknown>;
}

/**
 * Creates the one open alert of an SLO × region × kind, unless a concurrent evaluation already did (a
 * transaction-scoped advisory lock on the triple, then a re-check). Returns the new alert and its first event.
 */
export async function createAlertOnce(
  db: Db,
  data: NewAlert,
): Promise<{ alertId: string; eventId: string } | null> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`alert:${data.sloId}:${data.regionKey}:${data.kind}`}))::text`;
      const open = await tx.alert.findFirst({
        where: {
          sloId: data.sloId,
          regionKey: data.regionKey,
          kind: data.kind,
          state: { in: ["firing", "acknowledged"] },
        },
      });
      if (open) return null;
      const created = await tx.alert.create({
        data: {
          sloId: data.sloId,
          regionKey: data.regionKey,
          kind: data.kind,
          state: "firing",
          severity: data.severity,
          priority: data.priority,
          tiers: data.tiers,
          firedAt: new Date(data.nowMs),
          events: {
            create: { kind: data.eventKind, at: new Date(data.nowMs), detail: data.detail as object },
          },
        },
        include: { events: true },
      });
      return { alertId: created.id, eventId: created.events[0]!.id };
    },
    { timeout: 30_000 },
  );
}

/**
 * Opens an alert with its "fired" event (createAlertOnce; the event records the suppression in force, if any)
 * and, unless it is suppressed, asks for its Slack dispatch and starts its escalation.
 */
export async function fireAlert(
  deps: { db: Db; enqueue: Enqueue },
  a: Omit<NewAlert, "eventKind">,
  suppression: Suppression | null,
): Promise<void> {
  const created = await createAlertOnce(deps.db, {
    ...a,
    eventKind: "fired",
    detail: { ...a.detail, ...suppressedDetail(suppression) },
  });
  if (created && !suppression) {
    await deps.enqueue("alert.dispatch", {
      alertId: created.alertId,
      eventKind: "fired",
      eventId: created.eventId,
    });
    // Its escalation starts now (a crash before this is made up by the escalation sweep).
    for (const n of await startEscalations(deps.db, { nowMs: a.nowMs, alertId: created.alertId }))
      await enqueueNotice(deps.enqueue, n, a.nowMs);
  }
}
