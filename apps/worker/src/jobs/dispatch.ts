import type { DispatchAlertJob } from "@burnrate/contracts";
import { formatEndpoint } from "@burnrate/contracts";
import { loadSliSeries, toSloModel, toSloResponse, type Db } from "@burnrate/db";
import {
  PERMANENT_SLACK_ERRORS,
  renderAlertMessage,
  renderEventReply,
  slackErrorCode,
  type AlertMessageInput,
  type SlackSender,
} from "@burnrate/slack";
import { budgetSpentInWindow, computeStatus, statusRange, type TierDecision } from "@burnrate/slo-core";
import { UnrecoverableError } from "bullmq";
import type { Logger } from "pino";

const DEPLOYMENT_LOOKBACK_MS = 24 * 3600_000;
/** An SLO whose service sent nothing for this long (unless its alerting config says otherwise) raises no_data. */
export const DEFAULT_NO_DATA_MINUTES = 30;

const NOT_LOCKED = Symbol("not locked");
/** How long a dispatch waits for another dispatch of the same alert before it gives up (and is retried). */
const LOCK_WAIT_MS = 60_000;

/**
 * Posts or updates the alert's Slack message. The idempotency key is stored before the call and sent in the
 * message metadata; a retry after a crash first looks for a message with that key before posting again.
 * Dispatches of one alert never run at the same time (a transaction-scoped advisory lock, released by
 * Postgres even when the worker is killed), so two events cannot both post the alert's first message.
 */
export function createDispatchJob(deps: {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
}) {
  return async (payload: DispatchAlertJob) => {
    const t0 = Date.now();
    for (;;) {
      const r = await deps.db.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<{ ok: boolean }[]>`
            SELECT pg_try_advisory_xact_lock(hashtext(${`dispatch:${payload.alertId}`})) AS ok`;
          if (!row?.ok) return NOT_LOCKED;
          return dispatchLocked(deps, payload);
        },
        { timeout: 15 * 60_000, maxWait: 30_000 },
      );
      if (r !== NOT_LOCKED) return r;
      if (Date.now() - t0 > LOCK_WAIT_MS) throw new Error("another dispatch of this alert is still running");
      await new Promise((res) => setTimeout(res, 100));
    }
  };
}

async function dispatchLocked(
  deps: { db: Db; slack: SlackSender | null; publicUrl: string; now: () => number; log: Logger },
  payload: DispatchAlertJob,
) {
  const { db } = deps;
  const alert = await db.alert.findUnique({
    where: { id: payload.alertId },
    include: { slo: { include: { service: { include: { team: true } }, endpoint: true } } },
  });
  if (!alert) return { skipped: "alert deleted" };
  const channel = alert.slackChannel ?? alert.slo.service.team.slackChannel;
  const key = `${alert.id}:${payload.eventId}`;
  const existing = await db.slackDelivery.findUnique({ where: { idempotencyKey: key } });
  if (existing && existing.status !== "pending") return { skipped: `already ${existing.status}` };
  if (!deps.slack || !channel) {
    const reason = !deps.slack ? "slack_not_configured" : "team_has_no_slack_channel";
    await db.$transaction([
      db.alert.update({ where: { id: alert.id }, data: { lastError: reason } }),
      db.slackDelivery.upsert({
        where: { idempotencyKey: key },
        create: {
          idempotencyKey: key,
          alertId: alert.id,
          kind: payload.eventKind,
          channel: channel ?? "",
          status: "skipped",
          error: reason,
        },
        update: { status: "skipped", error: reason },
      }),
    ]);
    return { skipped: reason };
  }
  if (!alert.slackTs && payload.eventKind === "resolved") {
    // Nothing was ever posted (suppressed, or Slack failed): a lone "resolved" message would only be noise.
    await db.slackDelivery.upsert({
      where: { idempotencyKey: key },
      create: {
        idempotencyKey: key,
        alertId: alert.id,
        kind: payload.eventKind,
        channel,
        status: "skipped",
        error: "no_message_to_resolve",
      },
      update: { status: "skipped", error: "no_message_to_resolve" },
    });
    return { skipped: "no message to resolve" };
  }
  // The key is stored (and the attempt counted) before any Slack call.
  const delivery = await db.slackDelivery.upsert({
    where: { idempotencyKey: key },
    create: { idempotencyKey: key, alertId: alert.id, kind: payload.eventKind, channel, status: "pending" },
    update: {},
  });
  await db.slackDelivery.update({ where: { id: delivery.id }, data: { attempts: { increment: 1 } } });
  const retried = delivery.attempts > 0;
  const oldestMs = delivery.createdAt.getTime() - 60_000;
  const message = renderAlertMessage(await messageInput(deps, alert.id));
  try {
    let ts = alert.slackTs;
    if (!ts) {
      // The first post. If an earlier attempt reached Slack but died before recording it, find that post.
      const found = retried ? await deps.slack.findByKey({ channel, key, oldestMs }) : null;
      ts = found ?? (await deps.slack.post({ channel, text: message.text, blocks: message.blocks, key })).ts;
      await db.$transaction([
        db.alert.update({
          where: { id: alert.id },
          data: { slackChannel: channel, slackTs: ts, lastError: null },
        }),
        db.slackDelivery.update({ where: { id: delivery.id }, data: { status: "sent", ts, error: null } }),
      ]);
      return { ts, posted: !found };
    }
    const msgChannel = alert.slackChannel ?? channel;
    await deps.slack.update({ channel: msgChannel, ts, text: message.text, blocks: message.blocks });
    const event = await db.alertEvent.findUnique({ where: { id: payload.eventId } });
    const detail = (event?.detail ?? {}) as {
      by?: string;
      minutes?: number;
      severity?: string;
      reason?: string;
    };
    const found = retried
      ? await deps.slack.findByKey({ channel: msgChannel, key, oldestMs, threadTs: ts })
      : null;
    const replyTs =
      found ??
      (
        await deps.slack.post({
          channel: msgChannel,
          text: renderEventReply(payload.eventKind, detail),
          threadTs: ts,
          key,
        })
      ).ts;
    await db.$transaction([
      db.alert.update({ where: { id: alert.id }, data: { lastError: null } }),
      db.slackDelivery.update({
        where: { id: delivery.id },
        data: { status: "sent", ts: replyTs, error: null },
      }),
    ]);
    return { ts, replyTs, posted: !found };
  } catch (e) {
    const code = slackErrorCode(e);
    if (code && PERMANENT_SLACK_ERRORS.has(code)) {
      await db.$transaction([
        db.alert.update({ where: { id: alert.id }, data: { lastError: code } }),
        db.slackDelivery.update({ where: { id: delivery.id }, data: { status: "failed", error: code } }),
      ]);
      deps.log.warn({ alertId: alert.id, channel, code }, "Slack refused the message; not retrying");
      throw new UnrecoverableError(`slack: ${code}`);
    }
    await db.slackDelivery.update({
      where: { id: delivery.id },
      data: { error: code ?? (e as Error).message },
    });
    throw e;
  }
}

async function messageInput(
  deps: { db: Db; publicUrl: string; now: () => number },
  alertId: string,
): Promise<AlertMessageInput> {
  const { db } = deps;
  const alert = await db.alert.findUniqueOrThrow({
    where: { id: alertId },
    include: { slo: { include: { service: { include: { team: true } }, endpoint: true } } },
  });
  const slo = toSloResponse(alert.slo);
  const nowMs = deps.now();
  const model = toSloModel(slo, nowMs);
  const region =
    alert.regionKey === "*" ? null : await db.region.findUnique({ where: { slug: alert.regionKey } });
  const range = statusRange(model, nowMs);
  const status = computeStatus(
    model,
    await loadSliSeries(db, slo.id, region?.id ?? null, range.fromMs, range.toMs),
    nowMs,
  );
  const tiers = (alert.tiers ?? []) as unknown as TierDecision[];
  const worst =
    tiers
      .filter((t) => t.firing)
      .sort((x, y) => (y.severity === "page" ? 1 : 0) - (x.severity === "page" ? 1 : 0))[0] ?? tiers[0];
  const tierDef = model.tiers.find((t) => t.name === worst?.tier);
  const windowLabel = tierDef ? formatWindow(tierDef.longWindowMs) : "1h";
  const deployments = await db.deployment.findMany({
    where: {
      serviceId: alert.slo.serviceId,
      kind: "deployment",
      at: { gte: new Date(nowMs - DEPLOYMENT_LOOKBACK_MS), lte: new Date(nowMs) },
      ...(region ? { OR: [{ regionId: region.id }, { regionId: null }] } : {}),
    },
    orderBy: { at: "desc" },
    take: 3,
  });
  const regionSlugs = new Map((await db.region.findMany()).map((r) => [r.id, r.slug]));
  const longBurn = worst?.longBurnRate ?? null;
  return {
    alertId: alert.id,
    kind: alert.kind === "no_data" ? "no_data" : "burn_rate",
    noDataMinutes: slo.alerting?.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES,
    state: alert.state as AlertMessageInput["state"],
    severity: alert.severity as AlertMessageInput["severity"],
    priority: alert.slo.priority
      ? { value: alert.slo.priority, derived: false }
      : alert.priority
        ? { value: alert.priority, derived: true }
        : null,
    service: { slug: alert.slo.service.slug, name: alert.slo.service.name },
    endpoint: alert.slo.endpoint ? formatEndpoint(alert.slo.endpoint) : null,
    region: region?.slug ?? null,
    sloName: slo.name,
    sentence: slo.sentence,
    burn: {
      tier: worst?.tier ?? "n/a",
      window: windowLabel,
      burnRate: longBurn,
      factor: worst?.factor ?? 0,
      budgetSpentInWindow: tierDef
        ? budgetSpentInWindow(longBurn, tierDef.longWindowMs, status.period.endMs - status.period.startMs)
        : null,
    },
    budgetRemaining: status.remaining,
    timeToExhaustionHours: status.timeToExhaustionHours,
    deployments: deployments.map((d) => ({
      version: d.version,
      at: d.at.toISOString(),
      region: d.regionId ? (regionSlugs.get(d.regionId) ?? null) : null,
    })),
    sloUrl: `${deps.publicUrl.replace(/\/$/, "")}/slos/${slo.id}${region ? `?region=${region.slug}` : ""}`,
    runbookUrl: slo.runbookUrl ?? alert.slo.service.runbookUrl,
    acknowledgedBy: alert.acknowledgedBy,
    snoozedUntil: alert.snoozedUntil?.toISOString() ?? null,
    firedAt: alert.firedAt.toISOString(),
  };
}

function formatWindow(ms: number): string {
  const m = ms / 60_000;
  return m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`;
}
