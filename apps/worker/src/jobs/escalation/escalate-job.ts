import type { EscalateAlertJob, EscalationTarget, NotificationChannel } from "@burnrate/contracts";
import { nextEscalationNotice } from "@burnrate/slo-core";
import { UnrecoverableError } from "bullmq";
import { withAdvisoryLock } from "../dispatch/dispatch-lock";
import { channelsFor } from "./channels-for";
import type { EscalationDeps } from "./escalation-deps";
import { dmText, emailOf, mentionText, type NoticeFacts } from "./notice-text";
import { notificationKey, notifyOnce, type NotifyOutcome } from "./notify-once";
import { recipientsOf } from "./recipients";
import { sendDm, sendThreadReply, slackUserOf } from "./send";
import { enqueueNotice } from "./start-escalations";

/** Runs `fn` over the items, at most `limit` at a time. */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** A job that runs a little before its notice is due (clocks of Redis and the worker differ) waits this long. */
const EARLY_WAIT_MAX_MS = 5_000;
/** Notifications of one step sent at the same time, at most. */
const NOTIFY_CONCURRENCY = 8;
/** Messages posted by an earlier attempt are looked for from this long before the notice was due. */
const LOOKUP_MARGIN_MS = 60_000;

/**
 * Sends one notice of an alert's escalation (pass × step) and moves the escalation to the next one.
 *
 * - Serialised per alert (an advisory lock); a job whose notice is no longer the escalation's next is stale.
 * - An alert no longer firing (acknowledged, resolved) stops the escalation: checked before every notification,
 *   so an ack stops everything after it. A snoozed alert's notice waits for the snooze to end.
 * - The step's target is resolved at the notice's due time (who is on call then), each person reached by their
 *   channels for the alert's severity; one @mention in the alert's Slack thread names them all.
 * - Each notification is idempotent (notifyOnce). A step whose every notification failed for good (or that
 *   names nobody) escalates to the next at once; a transient failure makes the job retry the step.
 * - A ticket notifies the first step only (policy `ticket: "notify"`), or nothing, or escalates like a page.
 */
export function createEscalateJob(deps: EscalationDeps) {
  return async (p: EscalateAlertJob) =>
    withAdvisoryLock(deps.db, `escalate:${p.alertId}`, () => escalateOnce(deps, p));
}

async function escalateOnce(deps: EscalationDeps, p: EscalateAlertJob) {
  const { db } = deps;
  const esc = await db.alertEscalation.findUnique({ where: { alertId: p.alertId } });
  if (!esc?.nextAt) return { skipped: "stopped" };
  if (esc.pass !== p.pass || esc.step !== p.step) return { skipped: "stale" };
  const dueMs = esc.nextAt.getTime();
  const early = dueMs - deps.now();
  if (early > EARLY_WAIT_MAX_MS) return { skipped: "not due" };
  if (early > 0) await new Promise((r) => setTimeout(r, early));
  const cursor = { alertId: p.alertId, pass: p.pass, step: p.step };
  const stop = async (reason: string, next?: { pass: number; step: number }) => {
    await db.alertEscalation.updateMany({
      where: { ...cursor, nextAt: { not: null } },
      // only the cursor of `next` (a next notice also carries its time, which the row does not keep)
      data: { nextAt: null, stopReason: reason, ...(next ? { pass: next.pass, step: next.step } : {}) },
    });
    return { stopped: reason };
  };
  const alert = await db.alert.findUnique({
    where: { id: p.alertId },
    include: { slo: { include: { service: { include: { team: true } } } } },
  });
  if (!alert) return { skipped: "alert deleted" };
  if (alert.state !== "firing") return stop(alert.state);
  if (alert.snoozedUntil && alert.snoozedUntil.getTime() > deps.now()) {
    await db.alertEscalation.updateMany({ where: cursor, data: { nextAt: alert.snoozedUntil } });
    await enqueueNotice(
      deps.enqueue,
      { ...cursor, alert_id: p.alertId, next_at: alert.snoozedUntil },
      deps.now(),
    );
    return { snoozedUntil: alert.snoozedUntil.toISOString() };
  }
  const policy = esc.policyId
    ? await db.escalationPolicy.findUnique({
        where: { id: esc.policyId },
        include: { steps: { orderBy: { ord: "asc" } } },
      })
    : null;
  if (!policy) return stop("policy_deleted");
  const step = policy.steps[p.step];
  if (!step) return stop("exhausted");
  const ticket = alert.severity !== "page";
  if (ticket && policy.ticket === "none") return stop("ticket", { pass: p.pass, step: p.step });

  const team = alert.slo.service.team;
  const facts: NoticeFacts = {
    alertId: alert.id,
    sloId: alert.sloId,
    sloName: alert.slo.name,
    service: alert.slo.service.slug,
    region: alert.regionKey === "*" ? null : alert.regionKey,
    severity: alert.severity,
    policy: policy.name,
    step: p.step,
    pass: p.pass,
    steps: policy.steps.length,
    publicUrl: deps.publicUrl,
  };
  const people = await recipientsOf(
    db,
    step.target as EscalationTarget,
    { teamId: team.id, regionKey: facts.region },
    dueMs,
  );
  const available = new Set<NotificationChannel>([
    ...(deps.slack ? (["slack_dm"] as const) : []),
    ...(deps.mailer ? (["email"] as const) : []),
  ]);
  const sinceMs = dueMs - LOOKUP_MARGIN_MS;
  const stillFiring = async () =>
    (await db.alert.findUnique({ where: { id: alert.id }, select: { state: true } }))?.state ?? "deleted";
  const outcomes: NotifyOutcome[] = [];
  let transient: unknown = null;
  const attempt = async (target: string, channel: string, send: (may: boolean) => Promise<string | null>) => {
    try {
      outcomes.push(await notifyOnce(deps, { ...cursor, target, channel }, esc.nextAt!, send));
    } catch (e) {
      transient ??= e;
    }
  };
  // Everyone the step names at once (a few at a time), so the last of a big team is not paged late.
  const tasks = people.flatMap((r) =>
    channelsFor(r.rules, alert.severity, available, dueMs).map((channel) => ({ r, channel })),
  );
  let stoppedBy: string | null = null;
  await forEachLimit(tasks, NOTIFY_CONCURRENCY, async ({ r, channel }) => {
    const state = await stillFiring();
    if (state !== "firing") return void (stoppedBy = state);
    const k = { ...cursor, target: `user:${r.email}`, channel };
    await attempt(k.target, channel, (may) =>
      channel === "slack_dm"
        ? sendDm(deps, r, { key: notificationKey(k), text: dmText(facts), sinceMs }, may)
        : deps
            .mailer!.send({ to: r.email, ...emailOf(facts), messageId: `<${notificationKey(k)}@burnrate>` })
            .then((m) => m.messageId),
    );
  });
  if (stoppedBy) return stop(stoppedBy);
  const threadChannel = alert.slackChannel ?? team.slackChannel;
  if (deps.slack && threadChannel && people.length > 0) {
    const state = await stillFiring();
    if (state !== "firing") return stop(state);
    const k = { ...cursor, target: "thread", channel: "slack_thread" };
    await attempt(k.target, k.channel, async (may) => {
      const a = await db.alert.findUnique({ where: { id: alert.id } });
      if (!a?.slackTs) {
        if (a?.lastError) throw new UnrecoverableError(`no alert message in Slack: ${a.lastError}`);
        throw new Error("the alert's Slack message is not posted yet");
      }
      const ids: string[] = [];
      for (const r of people) ids.push(await slackUserOf(deps, r).catch(() => ""));
      const named = ids.filter(Boolean);
      if (named.length === 0) throw new UnrecoverableError("slack: users_not_found");
      return sendThreadReply(
        deps,
        {
          channel: a.slackChannel ?? threadChannel,
          threadTs: a.slackTs,
          key: notificationKey(k),
          text: mentionText(facts, named),
          sinceMs,
        },
        may,
      );
    });
  }
  if (transient) throw transient;
  const reached = outcomes.some((o) => o.status === "sent");
  if (people.length === 0)
    await db.alertEvent.create({
      data: { alertId: alert.id, kind: "escalation_step_empty", at: new Date(deps.now()), detail: cursor },
    });
  const next = nextEscalationNotice(
    policy.steps.map((s) => ({ ackTimeoutMs: s.ackTimeoutSeconds * 1000 })),
    policy.repeat,
    { pass: p.pass, step: p.step, atMs: dueMs },
    reached ? null : Math.max(deps.now(), dueMs),
  );
  if (!next) return { ...(await stop("exhausted")), reached };
  if (ticket && policy.ticket === "notify") return { ...(await stop("ticket", next)), reached };
  // Only a running escalation moves on: an ack that stopped it meanwhile (the API) keeps it stopped.
  const moved = await db.alertEscalation.updateMany({
    where: { ...cursor, nextAt: { not: null } },
    data: { pass: next.pass, step: next.step, nextAt: new Date(next.atMs) },
  });
  if (moved.count === 1)
    await enqueueNotice(
      deps.enqueue,
      { alert_id: alert.id, pass: next.pass, step: next.step, next_at: new Date(next.atMs) },
      deps.now(),
    );
  return { reached, next };
}
