import type { PolicyDeps } from "./policy-deps";
import { postOnce } from "./post-once";
import { reviewDueDate } from "./review-due";

/** Review at the date, or at the first P1 outage in scope, whichever comes first (book ch.10). */
export async function remindReview(
  deps: PolicyDeps,
  p: { id: string; version: number; nextReviewAt: Date | null; updatedAt: Date; teamId: string },
  team: { slackChannel: string | null; slug: string },
  nowMs: number,
) {
  if (!team.slackChannel) return;
  const date = reviewDueDate(p.nextReviewAt, nowMs);
  if (date) {
    await postOnce(deps, {
      key: `policy-review:${p.id}:${date}`,
      channel: team.slackChannel,
      text: `The error budget policy of team ${team.slug} is due for review (review date ${date}): ${deps.publicUrl}/teams/${team.slug}/policy`,
    });
  }
  const p1 = await deps.db.alert.findFirst({
    where: { priority: "P1", firedAt: { gte: p.updatedAt }, slo: { service: { teamId: p.teamId } } },
    include: { slo: true },
    orderBy: { firedAt: "asc" },
  });
  if (p1) {
    await postOnce(deps, {
      key: `policy-review-p1:${p.id}:v${p.version}`,
      channel: team.slackChannel,
      text: `A P1 alert fired for '${p1.slo.name}': the error budget policy of team ${team.slug} is due for review now (the book: at the first P1 outage). ${deps.publicUrl}/teams/${team.slug}/policy`,
    });
  }
}
