import { SlaSli, SlaWindow } from "@burnrate/contracts";
import { inTransaction, loadSlaSeries, toSloModel } from "@burnrate/db";
import {
  MINUTE_MS,
  buildPrefixSums,
  budgetSpent,
  periodAt,
  thresholdsReached,
  windowCounts,
} from "@burnrate/slo-core";
import type { Mailer } from "../escalation/mailer";
import { dmOnce } from "../stakeholders/stakeholder-job";
import type { PolicyDeps } from "../policy/policy-deps";
import { postOnce } from "../policy/post-once";

export interface SlaNoticeDeps extends PolicyDeps {
  mailer: Mailer | null;
}

const PERCENT = 100;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The Slack key of one notice in one channel. */
export const slaNoticeKey = (slaId: string, periodStartMs: number, threshold: number, channel: string) =>
  `sla:${slaId}:${periodStartMs}:${threshold}:${channel}`;

/** The channels named by the notify consequences of an error budget policy's conditions. */
function policyNotifyChannels(conditions: unknown): string[] {
  if (!Array.isArray(conditions)) return [];
  return conditions.flatMap((c: { consequences?: unknown }) =>
    Array.isArray(c?.consequences)
      ? c.consequences.flatMap((q: { type?: unknown; channel?: unknown }) =>
          q?.type === "notify" && typeof q.channel === "string" && q.channel ? [q.channel] : [],
        )
      : [],
  );
}

interface NoticeTargets {
  channels: string[];
  emails: string[];
  /** Users told by Slack direct message (and by email, within `emails`). */
  dmUsers: { id: string; email: string }[];
}

/**
 * Who an SLA's notices reach. With stakeholder groups named: those groups' Slack channels, emails and users
 * (email and Slack direct message), instead of the owning teams. Without: each owning team's error budget
 * policy notify channel, or the team's own channel when its policy names none, and the teams' members by email.
 */
async function noticeTargets(
  deps: SlaNoticeDeps,
  sla: { notifyGroupIds: string[] },
  teams: { id: string; slackChannel: string | null; members: { user: { email: string } }[] }[],
): Promise<NoticeTargets> {
  const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))];
  if (sla.notifyGroupIds.length > 0) {
    const groups = await deps.db.stakeholderGroup.findMany({ where: { id: { in: sla.notifyGroupIds } } });
    const userIds = uniq(groups.flatMap((g) => g.userIds));
    const users = userIds.length
      ? await deps.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } })
      : [];
    return {
      channels: uniq(groups.flatMap((g) => g.slackChannels)),
      emails: uniq([...groups.flatMap((g) => g.emails), ...users.map((u) => u.email)]),
      dmUsers: users,
    };
  }
  const policies = await deps.db.errorBudgetPolicy.findMany({
    where: { teamId: { in: teams.map((t) => t.id) } },
    select: { teamId: true, conditions: true },
  });
  const channels = teams.flatMap((t) => {
    const fromPolicy = policyNotifyChannels(policies.find((p) => p.teamId === t.id)?.conditions);
    return fromPolicy.length > 0 ? fromPolicy : t.slackChannel ? [t.slackChannel] : [];
  });
  return {
    channels: uniq(channels),
    emails: uniq(teams.flatMap((t) => t.members.map((m) => m.user.email))),
    dmUsers: [],
  };
}

/**
 * Every run: for each SLA, the budget its current period has consumed so far (its contractual objective over
 * every request of its services). Each threshold it has reached is noticed once per SLA × period × threshold:
 * the notice row and its Slack deliveries (one per target channel, see noticeTargets) are written in one
 * transaction, so a second run, a retry or another worker finds the row and sends nothing new; a delivery that
 * failed is retried by the next run (postOnce posts a key at most once). Email (when SMTP is set) and Slack
 * direct messages go out once, by the run that wrote the row.
 */
export function createSlaNoticeJob(deps: SlaNoticeDeps) {
  return async () => {
    const now = deps.now();
    const slas = await deps.db.sla.findMany({
      include: {
        services: {
          include: { service: { include: { team: { include: { members: { include: { user: true } } } } } } },
        },
      },
    });
    const results: { sla: string; threshold: number; status: string }[] = [];
    for (const sla of slas) {
      if (sla.thresholds.length === 0 || sla.services.length === 0) continue;
      const window = SlaWindow.parse(sla.window);
      const model = toSloModel(
        { objectivePercent: sla.objectivePercent, window, budgetingMethod: "occurrences", alerting: null },
        now,
      );
      const period = periodAt(model.window, now);
      const from = Math.floor(period.startMs / MINUTE_MS) * MINUTE_MS;
      const to = Math.ceil(now / MINUTE_MS) * MINUTE_MS;
      if (to <= from) continue;
      const series = await loadSlaSeries(
        deps.db,
        { serviceIds: sla.services.map((s) => s.serviceId), endpointId: null, sli: SlaSli.parse(sla.sli) },
        from,
        to,
      );
      const counts = windowCounts(buildPrefixSums(series), period.startMs, now);
      if (counts.total <= 0) continue;
      const consumed = budgetSpent(counts, model.objective);
      const reached = thresholdsReached(consumed, sla.thresholds);
      if (reached.length === 0) continue;
      const teams = [...new Map(sla.services.map((s) => [s.service.team.id, s.service.team])).values()];
      const targets = await noticeTargets(deps, sla, teams);
      const channels = targets.channels;
      const known = new Set(
        (
          await deps.db.slaNotice.findMany({
            where: { slaId: sla.id, periodStart: new Date(period.startMs) },
            select: { threshold: true },
          })
        ).map((n) => n.threshold),
      );
      const fresh = reached.filter((t) => !known.has(t));
      if (fresh.length > 0) {
        const inserted = await inTransaction(deps.db, async (tx) => {
          const r = await tx.slaNotice.createMany({
            data: fresh.map((threshold) => ({
              slaId: sla.id,
              periodStart: new Date(period.startMs),
              threshold,
              consumed,
            })),
            skipDuplicates: true,
          });
          if (r.count !== fresh.length) return false; // another worker noticed them first
          for (const threshold of fresh)
            for (const channel of channels)
              await tx.slackDelivery.create({
                data: {
                  idempotencyKey: slaNoticeKey(sla.id, period.startMs, threshold, channel),
                  kind: "sla",
                  channel,
                  status: "pending",
                },
              });
          return true;
        });
        const top = fresh[fresh.length - 1]!;
        if (inserted)
          for (const u of targets.dmUsers)
            results.push({
              sla: sla.id,
              threshold: top,
              status: await dmOnce(deps, {
                key: `${slaNoticeKey(sla.id, period.startMs, top, "dm")}:${u.id}`,
                email: u.email,
                text: noticeText(
                  sla.name,
                  consumed,
                  top,
                  period,
                  sla.objectivePercent,
                  sla.credits,
                  deps.publicUrl,
                  sla.id,
                ),
                kind: "sla",
              }),
            });
        if (inserted && deps.mailer) {
          for (const to of targets.emails)
            await deps.mailer
              .send({
                to,
                subject: `SLA "${sla.name}": ${Math.round(consumed * PERCENT)}% of the period budget consumed`,
                text: noticeText(
                  sla.name,
                  consumed,
                  top,
                  period,
                  sla.objectivePercent,
                  sla.credits,
                  deps.publicUrl,
                  sla.id,
                ),
                messageId: `<sla-${sla.id}-${period.startMs}-${top}-${to}@burnrate>`,
              })
              .catch((e: Error) => deps.log.warn({ err: e.message, sla: sla.id }, "SLA notice email failed"));
        }
      }
      // Post (or retry) the deliveries of every threshold reached; a sent one is not posted again.
      const top = reached[reached.length - 1]!;
      for (const threshold of reached)
        for (const channel of channels) {
          const key = slaNoticeKey(sla.id, period.startMs, threshold, channel);
          const d = await deps.db.slackDelivery.findUnique({ where: { idempotencyKey: key } });
          if (!d || d.status === "sent") continue;
          const r = await postOnce(deps, {
            key,
            channel,
            kind: "sla",
            text: noticeText(
              sla.name,
              consumed,
              threshold === top ? top : threshold,
              period,
              sla.objectivePercent,
              sla.credits,
              deps.publicUrl,
              sla.id,
            ),
          });
          results.push({ sla: sla.id, threshold, status: r.status });
        }
    }
    return { notices: results };
  };
}

function noticeText(
  name: string,
  consumed: number,
  threshold: number,
  period: { startMs: number; endMs: number },
  objectivePercent: number,
  credits: string | null,
  publicUrl: string,
  id: string,
): string {
  const lines = [
    `SLA "${name}" has consumed ${Math.round(consumed * PERCENT)}% of its error budget for ${day(period.startMs)} – ${day(period.endMs - 1)} (threshold ${threshold}%, objective ${objectivePercent}%).`,
    consumed >= 1
      ? "The budget is exhausted: the SLA is broken for this period unless it recovers."
      : `${Math.max(0, Math.round((1 - consumed) * PERCENT))}% of the budget is left.`,
  ];
  if (credits) lines.push(`Credits or penalties: ${credits}`);
  lines.push(`${publicUrl.replace(/\/$/, "")}/slas/${id}`);
  return lines.join("\n");
}
