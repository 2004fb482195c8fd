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

/**
 * Every run: for each SLA, the budget its current period has consumed so far (its contractual objective over
 * every request of its services). Each threshold it has reached is noticed once per SLA × period × threshold:
 * the notice row and its Slack deliveries (one per owning team's channel) are written in one transaction, so a
 * second run, a retry or another worker finds the row and sends nothing new; a delivery that failed is retried
 * by the next run (postOnce posts a key at most once). Email goes to the owning teams' members when SMTP is set.
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
      const channels = [...new Set(teams.flatMap((t) => (t.slackChannel ? [t.slackChannel] : [])))];
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
        if (inserted && deps.mailer) {
          const top = fresh[fresh.length - 1]!;
          const recipients = [
            ...new Set(teams.flatMap((t) => t.members.map((m) => m.user.email).filter(Boolean))),
          ];
          for (const to of recipients)
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
