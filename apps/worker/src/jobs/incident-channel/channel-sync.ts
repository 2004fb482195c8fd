import { createHash } from "node:crypto";
import { routeOncall, type Db } from "@burnrate/db";
import { HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import {
  incidentChannelName,
  renderIncidentSummary,
  slackErrorCode,
  suffixedChannelName,
  type SlackSender,
} from "@burnrate/slack";
import type { Logger } from "pino";

export interface ChannelDeps {
  db: Db;
  slack: SlackSender | null;
  publicUrl: string;
  now: () => number;
  log: Logger;
}

/** A sync holds the incident's channel row this long; a worker that died holding it is replaced after it. */
const LEASE_MS = MINUTE_MS;
/** A channel of our bot made this long before the row was written still counts as ours (clock skew). */
const ADOPT_MARGIN_MS = 5 * MINUTE_MS;
/** Names tried when others took them (`-2` … `-20`). */
const MAX_NAME_TRIES = 20;
/** The org's choice of severities (a team without its own follows it). */
export const ORG_SCOPE = "org";
/** Resolved incidents keep their channel's summary up to date this long (the last change is the resolve). */
const RESOLVED_LOOKBACK_MS = HOUR_MS;
/** The sweep leaves a channel whose last Slack call failed alone this long. */
const FAILED_PAUSE_MS = 5 * MINUTE_MS;
/** At most this many incidents per sweep. */
const SWEEP_LIMIT = 200;
/** A lookup that found no Slack user is remembered as `!email`, so that it is not asked every run. */
const NOT_IN_SLACK = "!";

type Result = { status: string; channel?: string; invited?: number };

/** Whether an incident of this severity (null = not set yet) gets a channel by its teams' or the org's choice. */
async function wantsChannel(db: Db, teamIds: string[], severity: string | null): Promise<boolean> {
  const rows = await db.incidentChannelSetting.findMany({
    where: { scope: { in: [ORG_SCOPE, ...teamIds] } },
  });
  const org = rows.find((r) => r.scope === ORG_SCOPE)?.severities ?? [];
  const choices = teamIds.length
    ? teamIds.map((t) => rows.find((r) => r.scope === t)?.severities ?? org)
    : [org];
  const sev = severity ?? "unset";
  return choices.some((c) => c.includes(sev));
}

const EMAIL = /[^\s()<>"']+@[^\s()<>"']+\.[^\s()<>"']+/;

/**
 * The people to invite: who acknowledged each linked alert and who is on call (first position) for the
 * alert's team and region now (or, without alerts, for each team), and the incident's roles.
 */
async function peopleFor(
  db: Db,
  i: {
    teamIds: string[];
    regions: string[];
    commander: string | null;
    communicationsLead: string | null;
    opsLead: string | null;
  },
  alerts: { acknowledgedBy: string | null; regionKey: string; teamId: string }[],
  atMs: number,
): Promise<string[]> {
  const out = new Set<string>();
  for (const role of [i.commander, i.communicationsLead, i.opsLead]) if (role) out.add(role.toLowerCase());
  const places = alerts.length
    ? alerts.map((a) => ({ teamId: a.teamId, regionKey: a.regionKey === "*" ? null : a.regionKey }))
    : i.teamIds.map((t) => ({ teamId: t, regionKey: i.regions[0] ?? null }));
  for (const a of alerts) {
    const email = a.acknowledgedBy ? EMAIL.exec(a.acknowledgedBy)?.[0]?.toLowerCase() : undefined;
    if (email && (await db.user.findUnique({ where: { email } }))) out.add(email);
  }
  const seen = new Set<string>();
  for (const p of places) {
    const k = `${p.teamId}/${p.regionKey}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const routed = await routeOncall(db, { ...p, atMs });
    const first = routed?.positions.map((pos) => routed.holders[pos]).find((h) => h);
    const person = first ? routed!.people.get(first.member) : undefined;
    if (person?.email) out.add(person.email.toLowerCase());
  }
  return [...out].sort();
}

/** The channel's id once Slack made it: created now, or found again after a lost answer or a crash. */
async function createOnce(
  deps: ChannelDeps & { slack: SlackSender },
  incidentId: string,
): Promise<{ id: string; name: string }> {
  const { db, slack } = deps;
  for (let tries = 0; tries < MAX_NAME_TRIES; tries++) {
    const ch = await db.incidentChannel.findUniqueOrThrow({ where: { incidentId } });
    if (ch.channelId) return { id: ch.channelId, name: ch.name };
    // Counted before the call: a crash after Slack made the channel leaves a trace to look for.
    await db.incidentChannel.update({
      where: { incidentId },
      data: { createAttempts: { increment: 1 } },
    });
    let id: string | null = null;
    try {
      id = await slack.createChannel(ch.name);
    } catch (e) {
      if (slackErrorCode(e) !== "name_taken") throw e;
      // Ours if our bot made it after this row was written (an earlier try whose answer was lost).
      const found = await slack.findChannelByName(ch.name);
      const bot = found ? await slack.botUserId() : null;
      if (found && found.creator === bot && found.createdMs >= ch.createdAt.getTime() - ADOPT_MARGIN_MS)
        id = found.id;
      else {
        const n = ch.name === ch.baseName ? 2 : Number(/-(\d+)$/.exec(ch.name)?.[1] ?? 1) + 1;
        await db.incidentChannel.update({
          where: { incidentId },
          data: { name: suffixedChannelName(ch.baseName, n) },
        });
        continue;
      }
    }
    // Recorded once, with its timeline entry, even if two runs got here.
    const at = new Date(deps.now());
    await db.$transaction(async (tx) => {
      const w = await tx.incidentChannel.updateMany({
        where: { incidentId, channelId: null },
        data: { channelId: id, error: null },
      });
      if (w.count === 1)
        await tx.incidentEvent.create({
          data: {
            incidentId,
            kind: "slack_channel",
            at,
            author: "burnrate",
            message: `#${ch.name}`,
            detail: { channel: id, name: ch.name },
          },
        });
    });
    return { id: id!, name: ch.name };
  }
  throw new Error(`no free channel name after ${MAX_NAME_TRIES} tries`);
}

/** The summary, posted once (its key is stored before the call and looked up after a crash), then updated. */
async function keepSummary(
  deps: ChannelDeps & { slack: SlackSender },
  incidentId: string,
  channel: string,
  summary: { text: string; blocks: unknown[] },
): Promise<void> {
  const { db, slack } = deps;
  const hash = createHash("sha256").update(JSON.stringify(summary)).digest("hex").slice(0, 32);
  const ch = await db.incidentChannel.findUniqueOrThrow({ where: { incidentId } });
  let ts = ch.summaryTs;
  if (!ts) {
    const key = `incident-summary-${incidentId}`;
    const d = await db.slackDelivery.upsert({
      where: { idempotencyKey: key },
      create: { idempotencyKey: key, kind: "incident_summary", channel, status: "pending" },
      update: {},
    });
    ts = d.ts;
    if (!ts) {
      await db.slackDelivery.update({ where: { id: d.id }, data: { attempts: { increment: 1 } } });
      const found =
        d.attempts > 0
          ? await slack.findByKey({ channel, key, oldestMs: d.createdAt.getTime() - MINUTE_MS })
          : null;
      ts = found ?? (await slack.post({ channel, text: summary.text, blocks: summary.blocks, key })).ts;
      await db.slackDelivery.update({ where: { id: d.id }, data: { status: "sent", ts } });
    }
    await db.incidentChannel.update({ where: { incidentId }, data: { summaryTs: ts, summaryHash: hash } });
  } else if (ch.summaryHash !== hash) {
    await slack.update({ channel, ts, text: summary.text, blocks: summary.blocks });
    await db.incidentChannel.update({ where: { incidentId }, data: { summaryHash: hash } });
  }
  if (!ch.summaryPinned) {
    await slack.pin({ channel, ts });
    await db.incidentChannel.update({ where: { incidentId }, data: { summaryPinned: true } });
  }
}

/**
 * Brings one incident's Slack channel up to date, idempotently: creates it when the incident's severity gets a
 * channel (at most one channel, whatever runs twice or crashes), invites who should be in it, and posts, pins
 * and updates its summary. One run at a time per incident (a lease on its row); a busy incident is skipped
 * and the next run (its own job or the sweep) picks up what changed.
 */
export async function syncIncidentChannel(deps: ChannelDeps, incidentId: string): Promise<Result> {
  const { db } = deps;
  const slack = deps.slack;
  if (!slack) return { status: "slack_not_configured" };
  const i = await db.incident.findUnique({
    where: { id: incidentId },
    include: {
      channel: true,
      alerts: { include: { alert: { include: { slo: { include: { service: true } } } } } },
    },
  });
  if (!i) return { status: "gone" };
  if (!i.channel) {
    if (i.state === "resolved" || !(await wantsChannel(db, i.teamIds, i.severity)))
      return { status: "not_needed" };
    const service = i.serviceIds.length
      ? await db.service.findUnique({ where: { id: i.serviceIds[0] } })
      : null;
    const name = incidentChannelName({
      number: i.number,
      startedAt: i.startedAt,
      service: service?.slug ?? null,
      title: i.title,
    });
    await db.incidentChannel.upsert({
      where: { incidentId },
      create: { incidentId, baseName: name, name },
      update: {},
    });
  }
  const now = deps.now();
  const leased = await db.incidentChannel.updateMany({
    where: { incidentId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date(now) } }] },
    data: { leaseUntil: new Date(now + LEASE_MS) },
  });
  if (leased.count === 0) return { status: "busy" };
  const withSlack = { ...deps, slack };
  try {
    const channel = await createOnce(withSlack, incidentId);
    const ch = await db.incidentChannel.findUniqueOrThrow({ where: { incidentId } });
    const want = await peopleFor(
      db,
      i,
      i.alerts.map(({ alert }) => ({
        acknowledgedBy: alert.acknowledgedBy,
        regionKey: alert.regionKey,
        teamId: alert.slo.service.teamId,
      })),
      now,
    );
    const done = new Set(ch.invited.map((e) => (e.startsWith(NOT_IN_SLACK) ? e.slice(1) : e)));
    const fresh = want.filter((e) => !done.has(e));
    let invited = 0;
    if (fresh.length) {
      const ids: string[] = [];
      const marks: string[] = [];
      for (const email of fresh) {
        const id = await slack.lookupUserByEmail(email);
        if (id) ids.push(id);
        marks.push(id ? email : `${NOT_IN_SLACK}${email}`);
      }
      await slack.invite({ channel: channel.id, users: ids });
      invited = ids.length;
      await db.incidentChannel.update({
        where: { incidentId },
        data: { invited: [...ch.invited, ...marks] },
      });
    }
    const services = await db.service.findMany({
      where: { id: { in: i.serviceIds } },
      select: { id: true, slug: true },
    });
    const summary = renderIncidentSummary({
      number: i.number,
      title: i.title,
      state: i.state,
      priority: i.priority,
      severity: i.severity,
      services: i.serviceIds.flatMap((id) => services.find((s) => s.id === id)?.slug ?? []),
      regions: i.regions,
      roles: { commander: i.commander, communicationsLead: i.communicationsLead, opsLead: i.opsLead },
      startedAt: i.startedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      ttrMinutes: i.resolvedAt ? (i.resolvedAt.getTime() - i.startedAt.getTime()) / MINUTE_MS : null,
      url: `${deps.publicUrl.replace(/\/$/, "")}/incidents/${i.id}`,
    });
    await keepSummary(withSlack, incidentId, channel.id, summary);
    if (ch.error) await db.incidentChannel.update({ where: { incidentId }, data: { error: null } });
    return { status: "ok", channel: channel.name, invited };
  } catch (e) {
    const code = slackErrorCode(e) ?? (e as Error).message;
    await db.incidentChannel.update({ where: { incidentId }, data: { error: code.slice(0, 500) } });
    deps.log.warn({ err: (e as Error).message, incidentId }, "incident channel: Slack call failed");
    throw e;
  } finally {
    await db.incidentChannel
      .update({ where: { incidentId }, data: { leaseUntil: null } })
      .catch(() => undefined);
  }
}

/** The `incident.channel` job: one incident, after it was opened or changed. */
export function createIncidentChannelJob(deps: ChannelDeps) {
  return async (p: { incidentId: string; rev: number }) => {
    const r = await syncIncidentChannel(deps, p.incidentId);
    // Another run holds the incident: try again after the backoff, so that this change is not left out.
    if (r.status === "busy") throw new Error(`incident ${p.incidentId}: its channel is being updated`);
    return r;
  };
}

/**
 * The `incident.channels` sweep: every open incident, and those resolved within the hour (their summary shows
 * the resolve), is brought up to date. What is already up to date costs a few reads and no Slack call.
 */
export function createIncidentChannelSweepJob(deps: ChannelDeps) {
  return async () => {
    if (!deps.slack) return { synced: 0 };
    const since = new Date(deps.now() - RESOLVED_LOOKBACK_MS);
    // A channel Slack refused lately (a missing scope, a revoked token) waits before the sweep asks again; its
    // own job (on the incident's next change) still tries at once. `updatedAt` is the process clock (Prisma's).
    const failedSince = new Date(Date.now() - FAILED_PAUSE_MS);
    const open = await deps.db.incident.findMany({
      where: {
        OR: [{ state: { not: "resolved" } }, { resolvedAt: { gte: since } }],
        NOT: { channel: { error: { not: null }, updatedAt: { gt: failedSince } } },
      },
      select: { id: true },
      orderBy: { startedAt: "desc" },
      take: SWEEP_LIMIT,
    });
    let failed = 0;
    for (const i of open)
      await syncIncidentChannel(deps, i.id).catch(() => {
        failed++;
      });
    return { synced: open.length - failed, failed };
  };
}
