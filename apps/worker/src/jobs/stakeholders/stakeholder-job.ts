import { stakeholderRecipients, type StakeholderRecipients } from "@burnrate/db";
import { HOUR_MS, MINUTE_MS, ringsDue } from "@burnrate/slo-core";
import { mailOnce } from "../escalation/mail-once";
import type { Mailer } from "../escalation/mailer";
import type { PolicyDeps } from "../policy";
import { postOnce } from "../policy/post-once";

/** Bracket messages are (re)delivered to Slack while they are this recent. */
const DELIVERY_LOOKBACK_MS = HOUR_MS;
/** The next update an automatic message promises. */
const RULE_NEXT_UPDATE_MINUTES = 60;

/** Whole minutes, as "51 min", "1 h" or "2 h 5 min". */
function fmtMinutes(m: number): string {
  const whole = Math.floor(m);
  if (whole < 60) return `${whole} min`;
  const rest = whole % 60;
  return `${Math.floor(whole / 60)} h${rest ? ` ${rest} min` : ""}`;
}
const fmtUtc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** A bracket message in words, for the ring's Slack channels (plain text; post-once escapes it). */
export function renderBracketMessage(n: {
  kind: string;
  ring: { number: number; name: string };
  geography: string;
  products: string[];
  message: string;
  incident: { number: number; title: string };
  sentAt: Date;
  nextUpdateDueAt: Date | null;
  ttrMinutes: number | null;
}): string {
  const head = `${n.kind === "first" ? "First message" : n.kind === "last" ? "Last message" : "Update"} on incident ${
    n.incident.number
  }: ${n.incident.title}`;
  const scope = `To ring ${n.ring.number} (${n.ring.name}) · ${n.geography} · ${n.products.join(", ")} · ${fmtUtc(n.sentAt)}`;
  const tail =
    n.kind === "last"
      ? `Time to recovery: ${n.ttrMinutes === null ? "unknown" : fmtMinutes(n.ttrMinutes)}. No further messages planned.`
      : n.nextUpdateDueAt
        ? `Next update by ${fmtUtc(n.nextUpdateDueAt)}.`
        : "";
  return [head, scope, n.message, tail].filter(Boolean).join("\n");
}

export interface StakeholderDeps extends PolicyDeps {
  /** Rings' email addresses are told through it (SMTP_URL); null: Slack only. */
  mailer: Mailer | null;
}

/** The subject of a bracket message's email: its first line. */
export const bracketSubject = (text: string) => text.split("\n")[0]!.slice(0, 200);

/**
 * Every run:
 * 1. each open incident left unresolved past a ring's rule ("not resolved within 60 min") gets that ring's
 *    first message, written by rule, once (the ring is told only if it had no message of this incident yet);
 * 2. every recent bracket message is delivered to its ring's Slack channels, once per message × channel, and
 *    with the same words to its ring's email addresses, once per message × address (a transient SMTP refusal
 *    is tried again by the next runs);
 * 3. the communications lead of an open incident is reminded, in its teams' channels, of an update overdue.
 */
export function createStakeholderJob(deps: StakeholderDeps) {
  return async () => {
    const now = deps.now();
    const rings = await deps.db.stakeholderRing.findMany({ where: { escalateAfterMinutes: { not: null } } });
    let told = 0;
    if (rings.length > 0) {
      const open = await deps.db.incident.findMany({
        where: { state: { not: "resolved" } },
        include: { notifications: { select: { ringId: true } } },
      });
      for (const i of open) {
        const due = ringsDue({
          nowMs: now,
          startedAtMs: i.startedAt.getTime(),
          resolved: false,
          rings: rings.map((r) => ({
            id: r.id,
            escalateAfterMinutes: r.escalateAfterMinutes,
            notified: i.notifications.some((n) => n.ringId === r.id),
          })),
        });
        for (const ringId of due) {
          const ring = rings.find((r) => r.id === ringId)!;
          const elapsed = (now - i.startedAt.getTime()) / MINUTE_MS;
          const products = i.products.length ? i.products : ["all"];
          const recipients = await stakeholderRecipients(deps.db, ring.id, {
            geography: "worldwide",
            products,
          });
          // One rule message per incident × ring, even when runs overlap: the insert is conditional.
          const inserted = await deps.db.$executeRaw`
            insert into stakeholder_notifications
              (id, incident_id, ring_id, kind, geography, products, message, sent_at, next_update_due_at, trigger, author, recipients)
            select gen_random_uuid(), ${i.id}::uuid, ${ring.id}::uuid, 'first', 'worldwide', ${products},
                   ${`Not resolved after ${fmtMinutes(elapsed)} (your ring is told after ${ring.escalateAfterMinutes} min). Current state: ${i.state}.`},
                   ${new Date(now)}, ${new Date(now + RULE_NEXT_UPDATE_MINUTES * MINUTE_MS)}, 'rule', 'burnrate',
                   ${JSON.stringify(recipients)}::jsonb
            where not exists (select 1 from stakeholder_notifications where incident_id = ${i.id}::uuid and ring_id = ${ring.id}::uuid)`;
          told += inserted;
        }
      }
    }
    const recent = await deps.db.stakeholderNotification.findMany({
      where: { sentAt: { gte: new Date(now - DELIVERY_LOOKBACK_MS) } },
      include: { ring: true, incident: { select: { number: true, title: true } } },
      orderBy: { sentAt: "asc" },
    });
    const deliveries: { key: string; status: string }[] = [];
    for (const n of recent) {
      const text = renderBracketMessage(n);
      const to = n.recipients as unknown as StakeholderRecipients;
      for (const channel of to.slackChannels) {
        const key = `stakeholder-${n.id}-${channel}`;
        const r = await postOnce(deps, { key, channel, text, kind: "stakeholder" });
        deliveries.push({ key, status: r.status });
      }
      // A user subscribed by email as well is mailed once.
      const addresses = [...new Set([...to.emails, ...to.users.map((u) => u.email)])];
      if (deps.mailer)
        for (const address of addresses) {
          const key = `stakeholder-${n.id}-email-${address}`;
          const status = await mailOnce(deps, deps.mailer, {
            key,
            kind: "stakeholder",
            mail: { to: address, subject: bracketSubject(text), text, messageId: `<${key}@burnrate>` },
          });
          deliveries.push({ key, status });
        }
      for (const u of to.users) {
        const key = `stakeholder-${n.id}-dm-${u.id}`;
        const status = await dmOnce(deps, { key, email: u.email, text });
        deliveries.push({ key, status });
      }
    }
    const reminders = await remindOverdue(deps, now);
    return { told, deliveries: deliveries.length, reminders };
  };
}

/**
 * A direct message to a Burnrate user subscribed to a stakeholder group, once per key: their Slack user by
 * email, their DM channel, then the message. A user Slack does not know (or no Slack) is told by email only.
 */
export async function dmOnce(
  deps: PolicyDeps,
  m: { key: string; email: string; text: string; kind?: string },
): Promise<string> {
  if (!deps.slack) return "skipped";
  const done = await deps.db.slackDelivery.findUnique({ where: { idempotencyKey: m.key } });
  if (done?.status === "sent") return "sent";
  try {
    const user = await deps.slack.lookupUserByEmail(m.email);
    if (!user) return "skipped";
    const channel = await deps.slack.openDm(user);
    return (await postOnce(deps, { key: m.key, channel, text: m.text, kind: m.kind ?? "stakeholder" }))
      .status;
  } catch (err) {
    deps.log.warn({ err, key: m.key }, "stakeholder direct message failed; the next run tries again");
    return "failed";
  }
}

/**
 * An update is overdue when the latest message to a ring promised the next by a time that has passed and no
 * message followed. The reminder names the communications lead and goes to the channels of the incident's
 * teams, once per promise.
 */
async function remindOverdue(deps: PolicyDeps, now: number): Promise<number> {
  const open = await deps.db.incident.findMany({
    where: { state: { not: "resolved" }, communicationsLead: { not: null } },
    include: { notifications: { include: { ring: true }, orderBy: { sentAt: "desc" } } },
  });
  let sent = 0;
  for (const i of open) {
    const latestPerRing = new Map<string, (typeof i.notifications)[number]>();
    for (const n of i.notifications) if (!latestPerRing.has(n.ringId)) latestPerRing.set(n.ringId, n);
    const overdue = [...latestPerRing.values()].filter(
      (n) => n.kind !== "last" && n.nextUpdateDueAt && n.nextUpdateDueAt.getTime() < now,
    );
    if (overdue.length === 0) continue;
    const teams = await deps.db.team.findMany({
      where: { id: { in: i.teamIds }, slackChannel: { not: null } },
    });
    for (const n of overdue)
      for (const t of teams) {
        const r = await postOnce(deps, {
          key: `stakeholder-reminder-${n.id}-${t.slackChannel}`,
          channel: t.slackChannel!,
          kind: "stakeholder",
          text: `Reminder for ${i.communicationsLead}: the next update on incident ${i.number} (${i.title}) to ring ${
            n.ring.number
          } (${n.ring.name}) was due by ${fmtUtc(n.nextUpdateDueAt!)}.`,
        });
        if (r.status === "sent") sent++;
      }
  }
  return sent;
}
