import { NewsletterContent } from "@burnrate/contracts";
import { inTransaction } from "@burnrate/db";
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

/**
 * Every run: for each enabled newsletter whose local send slot has passed, the week it reports is written once
 * (the issue row, keyed by scope × week, with its content and one pending Slack delivery per channel, in one
 * transaction): a second run, a retry or another worker finds the row and builds nothing new. Its deliveries are
 * then posted, each at most once (postOnce), and retried by later runs while pending. The emails go out once,
 * by the run that wrote the row, with a Message-ID per issue and recipient.
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
          return true;
        });
        issue = await deps.db.newsletterIssue.findUnique({ where: { scope_week: { scope: s.scope, week } } });
        if (inserted && deps.mailer)
          for (const to of s.emails)
            await deps.mailer
              .send({
                to,
                subject: newsletterTitle(content),
                text: newsletterText(content),
                html: newsletterHtml(content),
                messageId: `<newsletter-${s.scope}-${week}-${to}@burnrate>`,
              })
              .catch((e: Error) =>
                deps.log.warn({ err: e.message, scope: s.scope }, "newsletter email failed"),
              );
        if (inserted) results.push({ scope: s.scope, week, status: "written" });
      }
      if (!issue || !channel) continue;
      const key = newsletterKey(s.scope, week, channel);
      const d = await deps.db.slackDelivery.findUnique({ where: { idempotencyKey: key } });
      if (!d || d.status === "sent") continue;
      const content = NewsletterContent.parse(issue.content);
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
