import { UnrecoverableError } from "bullmq";
import { withRetries } from "../dispatch/retries";
import type { EscalationDeps } from "./escalation-deps";

/** One notification: alert × pass × step × target × channel, the unique key of its row. */
export interface NotificationKey {
  alertId: string;
  pass: number;
  step: number;
  /** `user:<email>`, or `thread` for the @mention in the alert's Slack thread. */
  target: string;
  channel: string;
}

export const notificationKey = (k: NotificationKey) =>
  `esc:${k.alertId}:${k.pass}:${k.step}:${k.target}:${k.channel}`;

export type NotifyOutcome =
  | { status: "sent"; ref: string | null; fresh: boolean }
  | { status: "failed"; error: string; fresh: boolean }
  | { status: "skipped" };

/**
 * Sends one notification at most once in effect: its row (unique per key) is written, and each attempt
 * counted, before the call; `send` is told whether an earlier attempt may have gone out (then it looks its
 * message up by key first, or sends with the same message id). A row already sent or failed is not tried again.
 * Transient failures are retried with a doubling backoff (then thrown, for the queue to retry the job); a
 * permanent one (UnrecoverableError) is recorded as failed. `fresh` = this call made the outcome.
 */
export async function notifyOnce(
  deps: EscalationDeps,
  k: NotificationKey,
  dueAt: Date,
  send: (mayHaveSent: boolean) => Promise<string | null>,
): Promise<NotifyOutcome> {
  const { db } = deps;
  const where = { alertId_pass_step_target_channel: k };
  const row = await db.escalationNotification.upsert({
    where,
    create: { ...k, status: "pending", dueAt },
    update: {},
  });
  if (row.status === "sent") return { status: "sent", ref: row.ref, fresh: false };
  if (row.status === "failed") return { status: "failed", error: row.error ?? "failed", fresh: false };
  if (row.status === "skipped") return { status: "skipped" };
  let attempts = row.attempts;
  // On the alert's timeline (the SLO page), written with the outcome.
  const timelineEvent = (kind: string, extra: object) =>
    db.alertEvent.create({
      data: {
        alertId: k.alertId,
        kind,
        at: new Date(deps.now()),
        detail: { pass: k.pass, step: k.step, target: k.target, channel: k.channel, ...extra },
      },
    });
  try {
    const ref = await withRetries(deps, async () => {
      await db.escalationNotification.update({ where, data: { attempts: { increment: 1 } } });
      return send(attempts++ > 0);
    });
    const at = new Date(deps.now());
    await db.$transaction([
      db.escalationNotification.update({ where, data: { status: "sent", ref, error: null, sentAt: at } }),
      timelineEvent("notified", {}),
    ]);
    return { status: "sent", ref, fresh: true };
  } catch (e) {
    const error = (e as Error).message.slice(0, 500);
    if (e instanceof UnrecoverableError) {
      await db.$transaction([
        db.escalationNotification.update({ where, data: { status: "failed", error } }),
        timelineEvent("notification_failed", { error }),
      ]);
      deps.log.warn({ ...k, error }, "a notification was refused for good");
      return { status: "failed", error, fresh: true };
    }
    await db.escalationNotification.update({ where, data: { error } }).catch(() => undefined);
    throw e;
  }
}
