import type { DispatchAlertJob } from "@burnrate/contracts";
import { DEFAULT_NO_DATA_MINUTES, formatEndpoint } from "@burnrate/contracts";
import { LoadedSlo, SLO_INCLUDE, loadSliSeries, type Db } from "@burnrate/db";
import {
  PERMANENT_SLACK_ERRORS,
  renderAlertMessage,
  renderEventReply,
  slackErrorCode,
  slackFailureReason,
  slackRetryAfterSec,
  type AlertMessageInput,
  type SlackSender,
} from "@burnrate/slack";
import { budgetSpentInWindow, computeStatus, statusRange, type TierDecision } from "@burnrate/slo-core";
import { UnrecoverableError } from "bullmq";
import type { Logger } from "pino";
import { slackDeliveryFailures } from "../metrics";
import { DISPATCHED_EVENT_KINDS } from "./alerting";

const DEPLOYMENT_LOOKBACK_MS = 24 * 3600_000;

const NOT_LOCKED = Symbol("not locked");
/** How long a dispatch waits for another dispatch of the same alert before it gives up (and is retried). */
const LOCK_WAIT_MS = 60_000;
/** Tries of one event's delivery within one job (each looks its message up by key before posting again). */
const DEFAULT_TRIES = 10;
/** How long one job may spend waiting out `ratelimited` answers before it leaves the rest to a job retry. */
const MAX_RATE_LIMIT_WAIT_MS = 5 * 60_000;
/** Slack's ts and our database's clock may disagree a little: look this much further back. */
const LOOKUP_MARGIN_MS = 10 * 60_000;

export interface DispatchDeps {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
  /** Tries per event within one job (default 10); the job itself is retried by the queue after that. */
  tries?: number;
  /** First pause between tries (doubling, at most 2 s); default 250 ms. */
  retryBaseMs?: number;
}

/** The advisory lock's connection is gone: stop this job (the queue retries it), do not post. */
class LockLostError extends Error {
  constructor(cause: string) {
    super(`lost the dispatch lock: ${cause}`);
  }
}

type PendingEvent = { id: string; kind: string; detail: unknown };
type Guard = () => Promise<void>;

/**
 * Delivers an alert's events to Slack: one top-level message per alert, kept up to date with the alert's
 * current state (`chat.update`), and one thread reply per later event.
 *
 * - Serialised per alert: a transaction-scoped advisory lock (released by Postgres even when the worker is
 *   killed) is held for the whole delivery, and checked again right before every post.
 * - In order: a job delivers every undelivered event of its alert, oldest first, so an event that arrives
 *   late (a "fired" after the ack) is never shown as news. A "fired" event never gets a reply: the top-level
 *   message is its notification.
 * - Exactly once, in effect: each delivery's idempotency key is stored (and the attempt counted) before the
 *   Slack call and sent in the message metadata; the top-level message also carries the alert's id. When an
 *   earlier attempt of any of the alert's deliveries may have reached Slack, the alert's message is looked up
 *   by the alert's id (conversations.history) before a top-level post, and a reply by its own key
 *   (conversations.replies) before it is posted again. The Slack client does not retry by itself; this job
 *   does (honouring `ratelimited`'s Retry-After), and the queue retries the job after that.
 */
export function createDispatchJob(deps: DispatchDeps) {
  return async (payload: DispatchAlertJob) => {
    const t0 = Date.now();
    for (;;) {
      const r = await deps.db.$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<{ ok: boolean }[]>`
            SELECT pg_try_advisory_xact_lock(hashtext(${`dispatch:${payload.alertId}`})) AS ok`;
          if (!row?.ok) return NOT_LOCKED;
          // Fails if the lock's connection is gone (a Postgres restart): then another dispatch may hold it.
          const guard: Guard = async () => {
            await tx.$queryRaw`SELECT 1`.catch((e: unknown) => {
              throw new LockLostError((e as Error).message);
            });
          };
          return deliverAlert(deps, payload, guard);
        },
        { timeout: 15 * 60_000, maxWait: 30_000 },
      );
      if (r !== NOT_LOCKED) return r;
      if (Date.now() - t0 > LOCK_WAIT_MS) throw new Error("another dispatch of this alert is still running");
      await new Promise((res) => setTimeout(res, 100));
    }
  };
}

/** Every event of the alert that still needs a delivery (the job's own one included), oldest first. */
async function pendingEvents(db: Db, alertId: string, eventId: string): Promise<PendingEvent[]> {
  return db.$queryRawUnsafe<PendingEvent[]>(
    `SELECT e.id, e.kind, e.detail
       FROM alert_events e
      WHERE e.alert_id = $1::uuid
        AND (e.id = $2::uuid OR (e.kind = ANY($3::text[])
             AND (e.detail IS NULL OR NOT (e.detail ? 'suppressed'))))
        AND NOT EXISTS (
          SELECT 1 FROM slack_deliveries d
           WHERE d.idempotency_key = e.alert_id::text || ':' || e.id::text AND d.status <> 'pending')
      ORDER BY e.at, (e.kind = 'fired') DESC, e.id`,
    alertId,
    eventId,
    [...DISPATCHED_EVENT_KINDS],
  );
}

async function deliverAlert(deps: DispatchDeps, payload: DispatchAlertJob, guard: Guard) {
  const exists = await deps.db.alert.findUnique({ where: { id: payload.alertId }, select: { id: true } });
  if (!exists) return { skipped: "alert deleted" };
  const events = await pendingEvents(deps.db, payload.alertId, payload.eventId);
  if (events.length === 0) return { skipped: "already delivered" };
  const delivered: Record<string, unknown>[] = [];
  let ownPermanent: UnrecoverableError | null = null;
  for (const ev of events) {
    try {
      delivered.push({
        eventId: ev.id,
        ...(await withRetries(deps, () => deliverEvent(deps, payload.alertId, ev, guard))),
      });
    } catch (e) {
      // A permanent refusal of one event is recorded; the alert's other events are still tried.
      if (!(e instanceof UnrecoverableError)) throw e;
      if (ev.id === payload.eventId) ownPermanent = e;
    }
  }
  if (ownPermanent) throw ownPermanent;
  return { delivered };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withRetries<T>(deps: DispatchDeps, fn: () => Promise<T>): Promise<T> {
  const tries = deps.tries ?? DEFAULT_TRIES;
  const base = deps.retryBaseMs ?? 250;
  let waitedMs = 0;
  for (let failed = 0; ;) {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof UnrecoverableError || e instanceof LockLostError) throw e;
      const retryAfter = slackRetryAfterSec(e);
      if (retryAfter !== null) {
        // Slack said when: wait that long (not counted as a try), within the job's budget for waiting.
        const ms = retryAfter * 1000;
        if (waitedMs + ms > MAX_RATE_LIMIT_WAIT_MS) throw e;
        waitedMs += ms;
        await sleep(ms);
        continue;
      }
      if (++failed >= tries) throw e;
      await sleep(Math.min(2000, base * 2 ** (failed - 1)));
    }
  }
}

function isSlackError(e: unknown): boolean {
  return String((e as { code?: unknown })?.code ?? "").startsWith("slack_");
}

async function deliverEvent(deps: DispatchDeps, alertId: string, ev: PendingEvent, guard: Guard) {
  const { db } = deps;
  const alert = await db.alert.findUnique({
    where: { id: alertId },
    include: { slo: { include: { service: { include: { team: true } } } } },
  });
  if (!alert) return { skipped: "alert deleted" };
  const channel = alert.slackChannel ?? alert.slo.service.team.slackChannel;
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

async function messageInput(
  deps: { db: Db; publicUrl: string; now: () => number },
  alertId: string,
): Promise<AlertMessageInput> {
  const { db } = deps;
  const alert = await db.alert.findUniqueOrThrow({
    where: { id: alertId },
    include: { slo: { include: SLO_INCLUDE } },
  });
  const loaded = new LoadedSlo(alert.slo);
  const slo = loaded.response;
  const nowMs = deps.now();
  const model = loaded.model(nowMs);
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
