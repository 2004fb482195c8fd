import type { DeliverReceiversJob, ReceiverEventType } from "@burnrate/contracts";
import { createSecretBox, type Db, type SecretBox } from "@burnrate/db";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";
import type { JobContext } from "../../job-context";
import { sloUrl } from "../dispatch/build-message-input";
import { withAdvisoryLock, type Guard } from "../dispatch/dispatch-lock";
import { withRetries } from "../dispatch/retries";
import { enqueueNotice } from "../escalation/start-escalations";
import { SWEEP_LOOKBACK_MS } from "../sweep/sweep-window";
import {
  PermanentReceiverError,
  receiverCall,
  receiverEventType,
  send,
  statusOfError,
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
  /** Calls of one delivery, over all its jobs, before it is given up as failed (default 30). */
  maxAttempts?: number;
  /** Adds the escalation's next notice when a failed trigger moves it on (without it, the sweep adds it). */
  enqueue?: Enqueue;
  /** Opens the secrets sealed at rest (BURNRATE_SECRET_KEY); default: no key, plain secrets only. */
  secrets?: SecretBox;
}
const NO_KEY = createSecretBox(null);

export const DEFAULT_RECEIVER_TIMEOUT_MS = 10_000;
/** A delivery that failed this many calls (across job retries and sweeps) is failed for good. */
export const DEFAULT_RECEIVER_MAX_ATTEMPTS = 30;

/** A resolve or an ack waits for the receiver's trigger, so the target never sees them out of order. */
class TriggerPendingError extends Error {}

/** A resolve or an ack waiting for its trigger looks again after at least this long... */
export const TRIGGER_WAIT_MIN_PAUSE_MS = 2_000;
/** ...and at most this long (the pause grows with the time it has waited). */
export const TRIGGER_WAIT_MAX_PAUSE_MS = 15_000;

/**
 * The pause before a resolve or an ack that waits for its receiver's trigger looks again, from how long ago its
 * event happened: a fifth of that, between 2 and 15 s. A trigger held up by a slow or failing receiver (its calls
 * retried for minutes) is followed within seconds of its delivery, and a worker busy delivering triggers is not
 * kept busier by the events waiting for them.
 */
export function triggerWaitPauseMs(waitedMs: number): number {
  return Math.round(Math.min(TRIGGER_WAIT_MAX_PAUSE_MS, Math.max(TRIGGER_WAIT_MIN_PAUSE_MS, waitedMs / 5)));
}

/** Does the receiver take this event type (an empty list: every type)? */
export const takesEvent = (r: { events: string[] }, type: string) =>
  r.events.length === 0 || r.events.includes(type);

/** Is the receiver due a trigger of this alert (it existed when the alert fired) that is not finished yet? */
async function triggerPending(
  db: Db,
  alert: ReceiverAlert,
  r: { id: string; createdAt: Date; events: string[] },
) {
  if (r.createdAt > alert.firedAt || !takesEvent(r, "alert.firing")) return false;
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
export async function recordRetrying<T>(write: () => Promise<T>, tries = 8): Promise<T> {
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
 * webhook's event id is the alert event's), so the target keeps one trigger and one resolve. Each delivery
 * is made under an advisory lock of its row, so two runs of one job at once (a stalled job taken over while
 * it still runs) never both call: the second waits and finds the row sent. A permanent refusal (a 4xx but 408
 * and 429) or a delivery whose calls ran out is recorded on the row and on the alert's timeline, not retried,
 * and a failed trigger of a page moves the alert's escalation to its next step at once.
 */
export function createReceiverDeliverJob(deps: ReceiverDeps) {
  return async (payload: DeliverReceiversJob, ctx: JobContext = {}) => {
    const type = receiverEventType(payload.eventKind);
    if (!type) return { skipped: "not a receiver event" };
    const { db } = deps;
    const ev = await db.alertEvent.findUnique({ where: { id: payload.eventId } });
    if (!ev || ev.alertId !== payload.alertId) return { skipped: "event deleted" };
    if (ev.detail && typeof ev.detail === "object" && "suppressed" in ev.detail)
      return { skipped: "suppressed" };
    const alert = await loadReceiverAlert(db, deps.publicUrl, payload.alertId);
    if (!alert) return { skipped: "alert deleted" };
    const receivers = (
      await db.receiver.findMany({
        where: {
          teamId: alert.teamId,
          enabled: true,
          severities: { has: alert.severity },
          createdAt: { lte: ev.at },
        },
        orderBy: { createdAt: "asc" },
      })
    ).filter((r) => takesEvent(r, type));
    const results: Record<string, string> = {};
    let retryable: unknown = null;
    const waiting: string[] = [];
    for (const r of receivers) {
      try {
        // A resolve or an ack waits (in the queue, not holding the lock) for the trigger the receiver is due.
        if (type !== "alert.firing" && (await triggerPending(db, alert, r))) {
          waiting.push(r.id);
          results[r.id] = "waiting for the trigger";
          continue;
        }
        // The row's advisory lock is held across the call (Postgres drops it with a killed worker's connection):
        // a second run of the same job at once waits for it, then finds the row sent.
        // Opened only here, for the call: a secret sealed with another key (or with no key set) fails the
        // delivery with that reason, retried until the key is right or the calls run out.
        const receiver = { ...r, secret: r.secret === null ? null : (deps.secrets ?? NO_KEY).open(r.secret) };
        results[r.id] = await withRetries(deps, () =>
          withAdvisoryLock(db, `receiver:${alert.id}:${r.id}:${type}`, (guard) =>
            deliverOne(deps, { alert, receiver, type, ev }, guard),
          ),
        );
      } catch (e) {
        // The others are still tried; the job fails (and the queue retries it) for what is left.
        retryable ??= e;
        results[r.id] = `error: ${(e as Error).message}`;
      }
    }
    // A failure is retried by the queue as usual (that retry looks at the waiting receivers again too).
    if (retryable) throw retryable;
    if (waiting.length) {
      // Waiting is not failing: the job runs again shortly under its own id, its tries kept, for as long as
      // the trigger can still come (its own retries, the sweep), i.e. within the sweep's look-back. Past
      // that, or outside a queue, it fails as a retry would.
      const waitedMs = deps.now() - ev.at.getTime();
      if (ctx.runAgainIn && waitedMs < SWEEP_LOOKBACK_MS) {
        const pauseMs = triggerWaitPauseMs(waitedMs);
        deps.log.debug(
          { alertId: alert.id, type, receivers: waiting, pauseMs },
          "receiver delivery waits for the trigger",
        );
        return ctx.runAgainIn(pauseMs);
      }
      throw new TriggerPendingError(`receiver ${waiting.join(", ")}: the trigger is not delivered yet`);
    }
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
  guard: Guard,
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
  const maxAttempts = deps.maxAttempts ?? DEFAULT_RECEIVER_MAX_ATTEMPTS;
  if (row.attempts >= maxAttempts) {
    await failDelivery(deps, c, row.id, `gave up after ${row.attempts} calls: ${row.error ?? "no answer"}`);
    return "failed";
  }
  // The attempt is counted before the call: a crash after it leaves a pending row with attempts > 0.
  await db.receiverDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  await guard();
  let status: number;
  try {
    status = await send(call, deps.timeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS);
  } catch (e) {
    const lastStatus = statusOfError(e);
    await db.receiverDelivery.update({ where: { id: row.id }, data: { lastStatus } }).catch(() => undefined);
    if (e instanceof PermanentReceiverError) {
      await failDelivery(deps, c, row.id, e.message);
      deps.log.warn(
        { alertId: alert.id, receiver: receiver.id, kind: receiver.kind, type, status: e.status },
        "receiver refused the delivery; not retrying",
      );
      return "failed";
    }
    const error = (e as Error).message.slice(0, 300);
    await db.receiverDelivery.update({ where: { id: row.id }, data: { error } }).catch(() => undefined);
    if (row.attempts + 1 >= maxAttempts) {
      await failDelivery(deps, c, row.id, `gave up after ${row.attempts + 1} calls: ${error}`);
      return "failed";
    }
    throw e;
  }
  // Sent: only the record is retried from here (a retry of the whole try would call the target again).
  await recordRetrying(() =>
    db.receiverDelivery.update({
      where: { id: row.id },
      data: { status: "sent", sentAt: new Date(deps.now()), error: null, lastStatus: status },
    }),
  );
  return "sent";
}

/**
 * A delivery failed for good: the row is failed, the alert's timeline says so (`receiver_failed`), and when it
 * was the trigger of a page whose escalation is waiting for its next step, that step is due now
 * (`escalation_advanced` on the timeline). One transaction: a crash leaves all or none of it.
 */
async function failDelivery(
  deps: ReceiverDeps,
  c: { alert: ReceiverAlert; receiver: { id: string; name: string; kind: string }; type: ReceiverEventType },
  rowId: string,
  error: string,
): Promise<void> {
  const { db } = deps;
  const { alert, receiver, type } = c;
  const nowMs = deps.now();
  const advanced = await recordRetrying(() =>
    db.$transaction(async (tx) => {
      const failed = await tx.receiverDelivery.updateMany({
        where: { id: rowId, status: "pending" },
        data: { status: "failed", error: error.slice(0, 300) },
      });
      if (failed.count === 0) return null;
      await tx.alertEvent.create({
        data: {
          alertId: alert.id,
          kind: "receiver_failed",
          at: new Date(nowMs),
          detail: { receiver: receiver.name, receiverKind: receiver.kind, type, error: error.slice(0, 300) },
        },
      });
      if (type !== "alert.firing" || alert.severity !== "page") return null;
      const current = await tx.alert.findUnique({ where: { id: alert.id }, select: { state: true } });
      if (current?.state !== "firing") return null;
      const esc = await tx.alertEscalation.findUnique({ where: { alertId: alert.id } });
      if (!esc?.nextAt || esc.nextAt.getTime() <= nowMs) return null;
      const moved = await tx.alertEscalation.updateMany({
        where: { alertId: alert.id, pass: esc.pass, step: esc.step, nextAt: esc.nextAt },
        data: { nextAt: new Date(nowMs) },
      });
      if (moved.count !== 1) return null;
      await tx.alertEvent.create({
        data: {
          alertId: alert.id,
          kind: "escalation_advanced",
          at: new Date(nowMs),
          detail: {
            reason: "receiver_failed",
            receiver: receiver.name,
            receiverKind: receiver.kind,
            pass: esc.pass,
            step: esc.step,
            wasDueAt: esc.nextAt.toISOString(),
          },
        },
      });
      return { alert_id: alert.id, pass: esc.pass, step: esc.step, next_at: new Date(nowMs) };
    }),
  );
  // The escalation sweep adds the notice too if this is lost (a crash right here).
  if (advanced && deps.enqueue) await enqueueNotice(deps.enqueue, advanced, nowMs).catch(() => undefined);
}
