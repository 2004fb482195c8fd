import type { DeliverReceiversJob, ReceiverEventType } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Logger } from "pino";
import { sloUrl } from "../dispatch/build-message-input";
import { withRetries } from "../dispatch/retries";
import {
  PermanentReceiverError,
  receiverCall,
  receiverEventType,
  send,
  type ReceiverAlert,
  type ReceiverTarget,
} from "./targets";

export interface ReceiverDeps {
  db: Db;
  publicUrl: string;
  now: () => number;
  log: Logger;
  /** One call's timeout (default 10 s). */
  timeoutMs?: number;
  /** Tries per delivery within one job (default 10); the queue retries the job after that. */
  tries?: number;
  /** First pause between tries (doubling, at most 2 s); default 250 ms. */
  retryBaseMs?: number;
}

export const DEFAULT_RECEIVER_TIMEOUT_MS = 10_000;

/** A resolve or an ack waits for the receiver's trigger, so the target never sees them out of order. */
class TriggerPendingError extends Error {}

/** Is the receiver due a trigger of this alert (it existed when the alert fired) that is not finished yet? */
async function triggerPending(db: Db, alert: ReceiverAlert, r: { id: string; createdAt: Date }) {
  if (r.createdAt > alert.firedAt) return false;
  const fired = await db.alertEvent.findFirst({
    where: { alertId: alert.id, kind: "fired" },
    select: { detail: true },
  });
  if (!fired || (fired.detail && typeof fired.detail === "object" && "suppressed" in fired.detail))
    return false;
  const trigger = await db.receiverDelivery.findUnique({
    where: { alertId_receiverId_type: { alertId: alert.id, receiverId: r.id, type: "alert.firing" } },
    select: { status: true },
  });
  return !trigger || trigger.status === "pending";
}

/** Writes a record after a call that went through, retrying the write alone (a busy pool, a brief outage). */
async function recordRetrying<T>(write: () => Promise<T>, tries = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** i)));
    }
  }
}

/** The alert as receivers see it (null: it is gone). */
export async function loadReceiverAlert(
  db: Db,
  publicUrl: string,
  alertId: string,
): Promise<(ReceiverAlert & { teamId: string }) | null> {
  const a = await db.alert.findUnique({
    where: { id: alertId },
    include: { slo: { include: { service: { include: { team: true } } } } },
  });
  if (!a) return null;
  const region = a.regionKey === "*" ? "all" : a.regionKey;
  return {
    id: a.id,
    kind: a.kind,
    state: a.state,
    severity: a.severity,
    priority: a.priority,
    slo: { id: a.slo.id, name: a.slo.name },
    service: a.slo.service.slug,
    team: a.slo.service.team.slug,
    teamId: a.slo.service.teamId,
    region,
    runbookUrl: a.slo.runbookUrl ?? a.slo.service.runbookUrl,
    url: sloUrl(publicUrl, a.slo.id, a.regionKey === "*" ? null : a.regionKey),
    firedAt: a.firedAt,
    acknowledgedAt: a.acknowledgedAt,
    acknowledgedBy: a.acknowledgedBy,
    resolvedAt: a.resolvedAt,
  };
}

/**
 * Delivers one alert event to every receiver of the alert's team that takes its severity. Per alert ×
 * receiver × event type there is one delivery row, written before the call with each attempt counted; a row
 * that is sent, failed or skipped is never sent again. A crash between the call and its record sends the same
 * call again, with the same idempotency key (PagerDuty's dedup_key and Opsgenie's alias are the alert's id, the
 * webhook's event id is the alert event's), so the target keeps one trigger and one resolve. A permanent
 * refusal (a 4xx but 408 and 429) is recorded on the row and on the alert's timeline, and not retried.
 */
export function createReceiverDeliverJob(deps: ReceiverDeps) {
  return async (payload: DeliverReceiversJob) => {
    const type = receiverEventType(payload.eventKind);
    if (!type) return { skipped: "not a receiver event" };
    const { db } = deps;
    const ev = await db.alertEvent.findUnique({ where: { id: payload.eventId } });
    if (!ev || ev.alertId !== payload.alertId) return { skipped: "event deleted" };
    if (ev.detail && typeof ev.detail === "object" && "suppressed" in ev.detail)
      return { skipped: "suppressed" };
    const alert = await loadReceiverAlert(db, deps.publicUrl, payload.alertId);
    if (!alert) return { skipped: "alert deleted" };
    const receivers = await db.receiver.findMany({
      where: { teamId: alert.teamId, severities: { has: alert.severity }, createdAt: { lte: ev.at } },
      orderBy: { createdAt: "asc" },
    });
    const results: Record<string, string> = {};
    let retryable: unknown = null;
    for (const r of receivers) {
      try {
        // A resolve or an ack waits (in the queue, not holding the lock) for the trigger the receiver is due.
        if (type !== "alert.firing" && (await triggerPending(db, alert, r))) {
          retryable ??= new TriggerPendingError(`receiver ${r.id}: the trigger is not delivered yet`);
          results[r.id] = "waiting for the trigger";
          continue;
        }
        // No transaction is held across the call: a second run of the same job at once (a stalled job taken
        // over) sends the same call with the same idempotency key, which the target deduplicates.
        results[r.id] = await withRetries(deps, () => deliverOne(deps, { alert, receiver: r, type, ev }));
      } catch (e) {
        // The others are still tried; the job fails (and the queue retries it) for what is left.
        retryable ??= e;
        results[r.id] = `error: ${(e as Error).message}`;
      }
    }
    if (retryable) throw retryable;
    return { type, results };
  };
}

async function deliverOne(
  deps: ReceiverDeps,
  c: {
    alert: ReceiverAlert;
    receiver: ReceiverTarget & { id: string; name: string };
    type: ReceiverEventType;
    ev: { id: string; at: Date };
  },
): Promise<string> {
  const { db } = deps;
  const { alert, receiver, type } = c;
  const key = { alertId: alert.id, receiverId: receiver.id, type };
  const row = await db.receiverDelivery.upsert({
    where: { alertId_receiverId_type: key },
    create: { ...key, eventId: c.ev.id, status: "pending" },
    update: {},
  });
  if (row.status !== "pending") return `already ${row.status}`;
  const call = receiverCall(receiver, alert, { id: c.ev.id, type, occurredAt: c.ev.at }, deps.now());
  if (!call) {
    await db.receiverDelivery.update({ where: { id: row.id }, data: { status: "skipped" } });
    return "skipped";
  }
  // The attempt is counted before the call: a crash after it leaves a pending row with attempts > 0.
  await db.receiverDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  try {
    await send(call, deps.timeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS);
  } catch (e) {
    if (e instanceof PermanentReceiverError) {
      await recordRetrying(() =>
        db.$transaction([
          db.receiverDelivery.update({ where: { id: row.id }, data: { status: "failed", error: e.message } }),
          db.alertEvent.create({
            data: {
              alertId: alert.id,
              kind: "receiver_failed",
              at: new Date(deps.now()),
              detail: { receiver: receiver.name, receiverKind: receiver.kind, type, error: e.message },
            },
          }),
        ]),
      );
      deps.log.warn(
        { alertId: alert.id, receiver: receiver.id, kind: receiver.kind, type, status: e.status },
        "receiver refused the delivery; not retrying",
      );
      return "failed";
    }
    await db.receiverDelivery
      .update({ where: { id: row.id }, data: { error: (e as Error).message.slice(0, 300) } })
      .catch(() => undefined);
    throw e;
  }
  // Sent: only the record is retried from here (a retry of the whole try would call the target again).
  await recordRetrying(() =>
    db.receiverDelivery.update({
      where: { id: row.id },
      data: { status: "sent", sentAt: new Date(deps.now()), error: null },
    }),
  );
  return "sent";
}
