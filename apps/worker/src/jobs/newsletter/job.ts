import { NewsletterContent } from "@burnrate/contracts";
import { inTransaction } from "@burnrate/db";
import { mailOnce } from "../escalation/mail-once";
import type { Mailer } from "../escalation/mailer";
import type { PolicyDeps } from "../policy/policy-deps";
import { postOnce } from "../policy/post-once";
import { buildNewsletter } from "./content";
import { newsletterBlocks, newsletterHtml, newsletterText, newsletterTitle } from "./render";
import { dueNewsletter } from "./schedule";

export interface NewsletterDeps extends PolicyDeps {
  mailer: Mailer | null;
}

/** The organisation-wide newsletter's scope (a team's is its id). */
export const ORG_SCOPE = "org";

/** The Slack key of one newsletter issue in one channel. */
export const newsletterKey = (scope: string, week: string, channel: string) =>
  `newsletter:${scope}:${week}:${channel}`;

/** The email key of one newsletter issue to one address. */
export const newsletterEmailKey = (scope: string, week: string, to: string) =>
  `newsletter:${scope}:${week}:email:${to}`;

/**
 * Every run: for each enabled newsletter whose local send slot has passed, the week it reports is written once
 * (the issue row, keyed by scope × week, with its content and one pending Slack delivery per channel, in one
 * transaction): a second run, a retry or another worker finds the row and builds nothing new. Its deliveries are
 * then posted, each at most once (postOnce), and retried by later runs while pending. Its emails (one delivery
 * row per recipient, written with the issue) go out the same way: at most once each (mailOnce), a transient
 * SMTP refusal retried by the next runs, with a Message-ID per issue and recipient.
 */
export function createNewsletterJob(deps: NewsletterDeps) {
  return async () => {
    const now = deps.now();
    const settings = await deps.db.newsletterSetting.findMany({ where: { enabled: true } });
    const results: { scope: string; week: string; channel?: string; status: string }[] = [];
    for (const s of settings) {
      const team = s.scope === ORG_SCOPE ? null : await deps.db.team.findUnique({ where: { id: s.scope } });
      if (s.scope !== ORG_SCOPE && !team) continue;
      let due;
      try {
        due = dueNewsletter(s, now);
      } catch (e) {
        deps.log.warn({ scope: s.scope, err: (e as Error).message }, "newsletter schedule unreadable");
        continue;
      }
      if (!due) continue;
      const week = due.week.firstDay;
      const channel = s.slackChannel ?? team?.slackChannel ?? null;
      let issue = await deps.db.newsletterIssue.findUnique({
        where: { scope_week: { scope: s.scope, week } },
      });
      if (!issue) {
        const content = await buildNewsletter({
          db: deps.db,
          team,
          week: due.week,
          publicUrl: deps.publicUrl,
          nowMs: now,
        });
        const inserted = await inTransaction(deps.db, async (tx) => {
          const r = await tx.newsletterIssue.createMany({
            data: [{ scope: s.scope, week, content }],
            skipDuplicates: true,
          });
          if (r.count !== 1) return false; // another worker wrote it first
          if (channel)
            await tx.slackDelivery.create({
              data: {
                idempotencyKey: newsletterKey(s.scope, week, channel),
                kind: "newsletter",
                channel,
                status: "pending",
              },
            });
          if (deps.mailer && s.emails.length > 0)
            await tx.emailDelivery.createMany({
              data: s.emails.map((to) => ({
                idempotencyKey: newsletterEmailKey(s.scope, week, to),
                kind: "newsletter",
                to,
                status: "pending",
              })),
              skipDuplicates: true,
            });
          return true;
        });
        issue = await deps.db.newsletterIssue.findUnique({ where: { scope_week: { scope: s.scope, week } } });
        if (inserted) results.push({ scope: s.scope, week, status: "written" });
      }
      if (!issue) continue;
      const content = NewsletterContent.parse(issue.content);
      if (deps.mailer) {
        const pending = await deps.db.emailDelivery.findMany({
          where: {
            kind: "newsletter",
            status: { in: ["pending", "sending"] },
            idempotencyKey: { startsWith: newsletterEmailKey(s.scope, week, "") },
          },
        });
        for (const d of pending) {
          const status = await mailOnce(deps, deps.mailer, {
            key: d.idempotencyKey,
            kind: "newsletter",
            mail: {
              to: d.to,
              subject: newsletterTitle(content),
              text: newsletterText(content),
              html: newsletterHtml(content),
              messageId: `<newsletter-${s.scope}-${week}-${d.to}@burnrate>`,
            },
          });
          results.push({ scope: s.scope, week, channel: "email", status });
        }
      }
      if (!channel) continue;
      const key = newsletterKey(s.scope, week, channel);
      const d = await deps.db.slackDelivery.findUnique({ where: { idempotencyKey: key } });
      if (!d || d.status === "sent") continue;
      const r = await postOnce(deps, {
        key,
        channel,
        kind: "newsletter",
        text: newsletterText(content),
        blocks: newsletterBlocks(content),
      });
      results.push({ scope: s.scope, week, channel, status: r.status });
    }
    return { newsletters: results };
  };
}
