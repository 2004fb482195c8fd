import { MINUTE_MS } from "@burnrate/slo-core";
import { SLACK_LIMITS, escapeMrkdwn, fitMrkdwn, retrySlack } from "@burnrate/slack";
import type { PolicyDeps } from "./policy-deps";

/** A message found again by its key may have been posted this long before its delivery row was written. */
const LOOKUP_MARGIN_MS = MINUTE_MS;

/**
 * Posts a message at most once per key (the key is stored before the call, and looked up after a crash). The
 * text is plain: it is escaped for Slack's mrkdwn here (so an SLO name cannot ping a channel) and kept within
 * Slack's message length. Policy notices and on-call hand-off notices use it; `kind` labels the delivery row;
 * `blocks`, when given, are the caller's and already escaped.
 */
export async function postOnce(
  deps: PolicyDeps,
  m: { key: string; channel: string; text: string; blocks?: unknown[]; kind?: string },
): Promise<{ status: string; detail?: string }> {
  const { db, slack } = deps;
  if (!slack) return { status: "skipped", detail: "slack_not_configured" };
  const text = fitMrkdwn(escapeMrkdwn(m.text), SLACK_LIMITS.messageText);
  const d = await db.slackDelivery.upsert({
    where: { idempotencyKey: m.key },
    create: { idempotencyKey: m.key, kind: m.kind ?? "policy", channel: m.channel, status: "pending" },
    update: {},
  });
  if (d.status === "sent") return { status: "sent" };
  // The try is claimed by its number: of two runs that read the same delivery at once, one posts.
  const claimed = await db.slackDelivery.updateMany({
    where: { id: d.id, attempts: d.attempts, status: { not: "sent" } },
    data: { attempts: { increment: 1 } },
  });
  if (claimed.count === 0) return { status: "busy" };
  try {
    // Transient failures are retried here (the Slack client does not), looking the key up first.
    const ts = await retrySlack(async (retry) => {
      const found =
        d.attempts > 0 || retry
          ? await slack.findByKey({
              channel: m.channel,
              key: m.key,
              oldestMs: d.createdAt.getTime() - LOOKUP_MARGIN_MS,
            })
          : null;
      return found ?? (await slack.post({ channel: m.channel, text, blocks: m.blocks, key: m.key })).ts;
    });
    await db.slackDelivery.update({ where: { id: d.id }, data: { status: "sent", ts } });
    return { status: "sent" };
  } catch (e) {
    await db.slackDelivery.update({
      where: { id: d.id },
      data: { status: "failed", error: (e as Error).message },
    });
    deps.log.warn({ err: (e as Error).message, key: m.key }, `${m.kind ?? "policy"} notification failed`);
    return { status: "failed", detail: (e as Error).message };
  }
}
