import { MINUTE_MS } from "@burnrate/slo-core";
import type { Enqueue } from "../../catalog";
import { sweepWindow } from "../sweep/sweep-window";
import { DEFAULT_RECEIVER_TIMEOUT_MS, loadReceiverAlert, type ReceiverDeps } from "./deliver";
import { alertmanagerCall, send } from "./targets";

/** Both nets of the sweep need an enabled receiver: its first read, and its gate's condition (schedules.ts). */
export const RECEIVERS_BUSY_SQL = "EXISTS (SELECT 1 FROM receivers WHERE enabled)";

/** Events re-enqueued per sweep at most (the next sweep takes the rest). */
const SWEEP_BATCH = 500;
/**
 * Alertmanager resolves an alert it has not heard of for resolve_timeout (5 minutes by default): a firing
 * alert is posted again this often.
 */
export const DEFAULT_ALERTMANAGER_RESEND_MS = MINUTE_MS;

/**
 * Two safety nets. (1) An event whose receiver job was never enqueued or vanished (a crash, Redis lost it)
 * while a receiver of its team still has no finished delivery of it gets its job again (same id: a job that
 * still exists is not duplicated). (2) Alerts still open at an Alertmanager receiver are posted again before
 * Alertmanager's resolve_timeout ends them.
 */
export function createReceiverSweepJob(
  deps: ReceiverDeps & { enqueue: Enqueue; graceMs?: number; resendMs?: number },
) {
  return async () => {
    const { db } = deps;
    // Both nets need an enabled receiver: without one (an installation that uses none) the sweep is one probe.
    const [any] = await db.$queryRawUnsafe<{ any: boolean }[]>(`SELECT ${RECEIVERS_BUSY_SQL} AS any`);
    if (!any?.any) return { enqueued: 0, resent: 0 };
    const nowMs = deps.now();
    const { fromMs, toMs } = sweepWindow(nowMs, deps.graceMs);
    const rows = await db.$queryRawUnsafe<{ id: string; alert_id: string; kind: string }[]>(
      `SELECT DISTINCT e.id, e.alert_id, e.kind, e.at
         FROM alert_events e
         JOIN alerts a ON a.id = e.alert_id
         JOIN slos s ON s.id = a.slo_id
         JOIN services sv ON sv.id = s.service_id
         JOIN receivers r ON r.team_id = sv.team_id AND r.enabled AND a.severity = ANY(r.severities)
                         AND r.created_at <= e.at
        WHERE e.at > $1::timestamptz AND e.at < $2::timestamptz
          AND e.kind IN ('fired', 'acknowledged', 'resolved', 'escalated')
          AND (e.detail IS NULL OR NOT (e.detail ? 'suppressed'))
          AND (coalesce(cardinality(r.events), 0) = 0
               OR (CASE e.kind WHEN 'fired' THEN 'alert.firing' ELSE 'alert.' || e.kind END) = ANY(r.events))
          AND NOT EXISTS (
            SELECT 1 FROM receiver_deliveries d
             WHERE d.alert_id = e.alert_id AND d.receiver_id = r.id AND d.status <> 'pending'
               AND d.type = CASE e.kind WHEN 'fired' THEN 'alert.firing' ELSE 'alert.' || e.kind END)
        ORDER BY e.at
        LIMIT ${SWEEP_BATCH}`,
      new Date(fromMs).toISOString(),
      new Date(toMs).toISOString(),
    );
    for (const r of rows)
      await deps.enqueue("receiver.deliver", { alertId: r.alert_id, eventKind: r.kind, eventId: r.id });
    // The other webhook events (policy.enacted, slo.changed) a webhook receiver still has no finished delivery of.
    const events = await db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT DISTINCT w.id, w.occurred_at
         FROM webhook_events w
         JOIN receivers r ON r.team_id = w.team_id AND r.enabled AND r.kind = 'webhook'
                         AND r.created_at <= w.occurred_at
                         AND (coalesce(cardinality(r.events), 0) = 0 OR w.type = ANY(r.events))
        WHERE w.occurred_at > $1::timestamptz AND w.occurred_at < $2::timestamptz
          AND NOT EXISTS (
            SELECT 1 FROM receiver_deliveries d
             WHERE d.event_id = w.id AND d.receiver_id = r.id AND d.status <> 'pending')
        ORDER BY w.occurred_at
        LIMIT ${SWEEP_BATCH}`,
      new Date(fromMs).toISOString(),
      new Date(toMs).toISOString(),
    );
    for (const w of events) await deps.enqueue("receiver.deliver-event", { eventId: w.id });

    const resendMs = deps.resendMs ?? DEFAULT_ALERTMANAGER_RESEND_MS;
    const due = await db.receiverDelivery.findMany({
      where: {
        type: "alert.firing",
        status: "sent",
        sentAt: { lt: new Date(nowMs - resendMs) },
        receiver: { kind: "alertmanager", enabled: true },
        alert: { state: { in: ["firing", "acknowledged"] } },
      },
      include: { receiver: true },
      take: SWEEP_BATCH,
    });
    let resent = 0;
    for (const d of due) {
      try {
        if (!d.alertId) continue;
        const alert = await loadReceiverAlert(db, deps.publicUrl, d.alertId);
        if (!alert || alert.state === "resolved") continue;
        const timeoutMs = deps.timeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS;
        await send(alertmanagerCall(d.receiver, alert, null), timeoutMs);
        await db.receiverDelivery.update({ where: { id: d.id }, data: { sentAt: new Date(deps.now()) } });
        // Resolved meanwhile: its resolve may have gone before this post, so post the resolve again.
        const after = await loadReceiverAlert(db, deps.publicUrl, d.alertId);
        if (after?.state === "resolved")
          await send(
            alertmanagerCall(d.receiver, after, after.resolvedAt ?? new Date(deps.now())),
            timeoutMs,
          );
        resent++;
      } catch (e) {
        deps.log.warn(
          { alertId: d.alertId, receiver: d.receiverId, err: (e as Error).message },
          "Alertmanager re-send failed",
        );
      }
    }
    const enqueued = rows.length + events.length;
    if (enqueued || resent) deps.log.debug({ enqueued, resent }, "receiver sweep");
    return { enqueued, resent };
  };
}
