import {
  PERMANENT_SLACK_ERRORS,
  renderAlertMessage,
  renderEventReply,
  slackErrorCode,
  slackFailureReason,
} from "@burnrate/slack";
import { MINUTE_MS } from "@burnrate/slo-core";
import { UnrecoverableError } from "bullmq";
import { slackDeliveryFailures } from "../../metrics";
import type { DispatchDeps } from "./dispatch-deps";
import type { Guard } from "./dispatch-lock";
import { messageInput } from "./message-input";
import type { PendingEvent } from "./pending-events";

/** Slack's ts and our database's clock may disagree a little: look this much further back. */
const LOOKUP_MARGIN_MS = 10 * MINUTE_MS;

/** The SLO's Slack channel for a severity (`alerting.slackChannels`), if it names one. */
export function severityChannel(alerting: unknown, severity: string): string | null {
  const channels = (alerting as { slackChannels?: Record<string, unknown> } | null)?.slackChannels;
  const c = channels?.[severity];
  return typeof c === "string" && c ? c : null;
}

function isSlackError(e: unknown): boolean {
  return String((e as { code?: unknown })?.code ?? "").startsWith("slack_");
}

/**
 * One try at delivering one event: the alert's top-level message (posted, or found again when an earlier
 * attempt may have posted it, then updated to the alert's state) and, for every event but the first, a thread
 * reply (found again by its key after an earlier attempt). The delivery row records the key and each attempt
 * before the Slack call; a permanent refusal is recorded and ends the event's retries.
 */
export async function deliverEvent(deps: DispatchDeps, alertId: string, ev: PendingEvent, guard: Guard) {
  const { db } = deps;
  const alert = await db.alert.findUnique({
    where: { id: alertId },
    include: { slo: { include: { service: { include: { team: true } } } } },
  });
  if (!alert) return { skipped: "alert deleted" };
  // The channel of the alert's first post, else the SLO's channel for its severity, else the team's.
  const channel =
    alert.slackChannel ??
    severityChannel(alert.slo.alerting, alert.severity) ??
    alert.slo.service.team.slackChannel;
  const key = `${alert.id}:${ev.id}`;
  const existing = await db.slackDelivery.findUnique({ where: { idempotencyKey: key } });
  if (existing && existing.status !== "pending") return { skipped: `already ${existing.status}` };
  const skip = async (reason: string, lastError: boolean) => {
    await db.$transaction([
      ...(lastError ? [db.alert.update({ where: { id: alert.id }, data: { lastError: reason } })] : []),
      db.slackDelivery.upsert({
        where: { idempotencyKey: key },
        create: {
          idempotencyKey: key,
          alertId: alert.id,
          kind: ev.kind,
          channel: channel ?? "",
          status: "skipped",
          error: reason,
        },
        update: { status: "skipped", error: reason },
      }),
    ]);
    return { skipped: reason };
  };
  if (!deps.slack || !channel)
    return skip(!deps.slack ? "slack_not_configured" : "team_has_no_slack_channel", true);
  const slack = deps.slack;
  // Could an earlier attempt of any of this alert's deliveries have reached Slack? (Counted before each call.)
  const [before] = await db.$queryRaw<{ attempts: number; first: Date | null }[]>`
    SELECT COALESCE(SUM(attempts), 0)::int AS attempts, MIN(created_at) AS first
      FROM slack_deliveries WHERE alert_id = ${alert.id}::uuid`;
  // The key is stored (and the attempt counted) before any Slack call.
  const delivery = await db.slackDelivery.upsert({
    where: { idempotencyKey: key },
    create: { idempotencyKey: key, alertId: alert.id, kind: ev.kind, channel, status: "pending" },
    update: {},
  });
  const retried = delivery.attempts > 0;
  const mayHavePosted = (before?.attempts ?? 0) > 0;
  const oldestMs =
    Math.min(alert.firedAt.getTime(), (before?.first ?? delivery.createdAt).getTime()) - LOOKUP_MARGIN_MS;
  const markSent = (ts: string, extra: { slackTs?: string } = {}) =>
    db.$transaction([
      db.alert.update({
        where: { id: alert.id },
        data: {
          lastError: null,
          ...(extra.slackTs ? { slackChannel: channel, slackTs: extra.slackTs } : {}),
        },
      }),
      db.slackDelivery.update({ where: { id: delivery.id }, data: { status: "sent", ts, error: null } }),
    ]);
  try {
    let ts = alert.slackTs;
    let postedWith: string | null = null;
    if (!ts && mayHavePosted) {
      // An earlier attempt (of this event or another) may have posted the alert's message and died before
      // recording it: find it by the alert's id, whichever event posted it.
      await db.slackDelivery.update({ where: { id: delivery.id }, data: { attempts: { increment: 1 } } });
      const found = await slack.findAlertMessage({ channel, alert: alert.id, oldestMs });
      if (found) {
        ts = found.ts;
        postedWith = found.key;
        await db.alert.update({ where: { id: alert.id }, data: { slackChannel: channel, slackTs: ts } });
      }
    }
    if (!ts) {
      // Nothing was ever posted (suppressed, or Slack failed): a lone "resolved" message would only be noise.
      if (ev.kind === "resolved") return skip("no_message_to_resolve", false);
      const message = renderAlertMessage(await messageInput(deps, alert.id));
      await db.slackDelivery.update({ where: { id: delivery.id }, data: { attempts: { increment: 1 } } });
      await guard();
      const posted = await slack.post({
        channel,
        text: message.text,
        blocks: message.blocks,
        key,
        alert: alert.id,
      });
      await markSent(posted.ts, { slackTs: posted.ts });
      return { ts: posted.ts, posted: true };
    }
    const msgChannel = alert.slackChannel ?? channel;
    // The message always shows the alert's state now, whatever the order the events arrived in.
    const message = renderAlertMessage(await messageInput(deps, alert.id));
    await db.slackDelivery.update({ where: { id: delivery.id }, data: { attempts: { increment: 1 } } });
    await slack.update({ channel: msgChannel, ts, text: message.text, blocks: message.blocks });
    // The first event's notification is the message itself (also when it was posted for this very event).
    if (ev.kind === "fired" || postedWith === key) {
      await markSent(ts);
      return { ts, posted: false };
    }
    const detail = (ev.detail ?? {}) as { by?: string; minutes?: number; severity?: string; reason?: string };
    const found = retried
      ? await slack.findByKey({ channel: msgChannel, key, oldestMs, threadTs: ts })
      : null;
    let replyTs = found;
    if (!replyTs) {
      await guard();
      replyTs = (
        await slack.post({
          channel: msgChannel,
          text: renderEventReply(ev.kind, detail),
          threadTs: ts,
          key,
        })
      ).ts;
    }
    await markSent(replyTs);
    return { ts, replyTs, posted: !found };
  } catch (e) {
    const code = slackErrorCode(e);
    if (isSlackError(e)) slackDeliveryFailures.inc({ reason: slackFailureReason(e) });
    if (code && PERMANENT_SLACK_ERRORS.has(code)) {
      await db.$transaction([
        db.alert.update({ where: { id: alert.id }, data: { lastError: code } }),
        db.slackDelivery.update({ where: { id: delivery.id }, data: { status: "failed", error: code } }),
      ]);
      deps.log.warn({ alertId: alert.id, channel, code }, "Slack refused the message; not retrying");
      throw new UnrecoverableError(`slack: ${code}`);
    }
    await db.slackDelivery
      .update({ where: { id: delivery.id }, data: { error: code ?? slackFailureReason(e) } })
      .catch(() => undefined);
    throw e;
  }
}
