import type { DeliverWebhookEventJob } from "@burnrate/contracts";
import { createSecretBox } from "@burnrate/db";
import { withAdvisoryLock, type Guard } from "../dispatch/dispatch-lock";
import { withRetries } from "../dispatch/retries";
import {
  DEFAULT_RECEIVER_MAX_ATTEMPTS,
  DEFAULT_RECEIVER_TIMEOUT_MS,
  recordRetrying,
  takesEvent,
  type ReceiverDeps,
} from "./deliver";
import {
  PermanentReceiverError,
  send,
  statusOfError,
  webhookEventCall,
  type ReceiverTarget,
} from "./targets";

const NO_KEY = createSecretBox(null);

/** The body's field that carries a webhook event's data: `policy` for policy.enacted, `slo` for slo.changed. */
export const fieldOfEventType = (type: string) => type.split(".")[0]!;

/**
 * Delivers one webhook event (policy.enacted, slo.changed) to every enabled webhook receiver of its team that
 * takes its type and existed when it happened. As for alert events: one delivery row per event × receiver,
 * written before the call with each attempt counted, the call made under the row's advisory lock, retried with
 * a doubling pause within the job and by the queue after that; a row sent or failed is never sent again, and a
 * crash between the call and its record sends the same event id again (the receiver dedupes on it).
 */
export function createWebhookEventDeliverJob(deps: ReceiverDeps) {
  return async (payload: DeliverWebhookEventJob) => {
    const { db } = deps;
    const ev = await db.webhookEvent.findUnique({ where: { id: payload.eventId } });
    if (!ev) return { skipped: "event deleted" };
    const receivers = (
      await db.receiver.findMany({
        where: { teamId: ev.teamId, kind: "webhook", enabled: true, createdAt: { lte: ev.occurredAt } },
        orderBy: { createdAt: "asc" },
      })
    ).filter((r) => takesEvent(r, ev.type));
    const results: Record<string, string> = {};
    let retryable: unknown = null;
    for (const r of receivers) {
      try {
        const receiver = { ...r, secret: r.secret === null ? null : (deps.secrets ?? NO_KEY).open(r.secret) };
        results[r.id] = await withRetries(deps, () =>
          withAdvisoryLock(db, `webhook-event:${ev.id}:${r.id}`, (guard) =>
            deliverEventOne(deps, { ev, receiver }, guard),
          ),
        );
      } catch (e) {
        retryable ??= e;
        results[r.id] = `error: ${(e as Error).message}`;
      }
    }
    if (retryable) throw retryable;
    return { type: ev.type, results };
  };
}

async function deliverEventOne(
  deps: ReceiverDeps,
  c: {
    ev: { id: string; type: string; occurredAt: Date; payload: unknown };
    receiver: ReceiverTarget & { id: string };
  },
  guard: Guard,
): Promise<string> {
  const { db } = deps;
  const { ev, receiver } = c;
  const key = { eventId: ev.id, receiverId: receiver.id };
  const row = await db.receiverDelivery.upsert({
    where: { eventId_receiverId: key },
    create: { ...key, type: ev.type, status: "pending" },
    update: {},
  });
  if (row.status !== "pending") return `already ${row.status}`;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_RECEIVER_MAX_ATTEMPTS;
  const fail = (error: string) =>
    recordRetrying(() =>
      db.receiverDelivery.updateMany({
        where: { id: row.id, status: "pending" },
        data: { status: "failed", error: error.slice(0, 300) },
      }),
    );
  if (row.attempts >= maxAttempts) {
    await fail(`gave up after ${row.attempts} calls: ${row.error ?? "no answer"}`);
    return "failed";
  }
  await db.receiverDelivery.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  await guard();
  const call = webhookEventCall(
    receiver,
    { ...ev, field: fieldOfEventType(ev.type), data: ev.payload },
    deps.now(),
  );
  let status: number;
  try {
    status = await send(call, deps.timeoutMs ?? DEFAULT_RECEIVER_TIMEOUT_MS);
  } catch (e) {
    const error = (e as Error).message.slice(0, 300);
    await db.receiverDelivery
      .update({ where: { id: row.id }, data: { error, lastStatus: statusOfError(e) } })
      .catch(() => undefined);
    if (e instanceof PermanentReceiverError) {
      await fail(e.message);
      deps.log.warn(
        { eventId: ev.id, receiver: receiver.id, type: ev.type, status: e.status },
        "webhook refused the event; not retrying",
      );
      return "failed";
    }
    if (row.attempts + 1 >= maxAttempts) {
      await fail(`gave up after ${row.attempts + 1} calls: ${error}`);
      return "failed";
    }
    throw e;
  }
  await recordRetrying(() =>
    db.receiverDelivery.update({
      where: { id: row.id },
      data: { status: "sent", sentAt: new Date(deps.now()), error: null, lastStatus: status },
    }),
  );
  return "sent";
}
