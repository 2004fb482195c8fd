/**
 * Teams an import needs (owners named by services, and the teams of Slack channels of notification targets),
 * compared with the stored ones: created (by org admins only), given their Slack channel, or unchanged.
 */
import type { Db } from "@burnrate/db";
import type { DocRef } from "../parse";
import { authorised, isAdmin } from "./authorise";
import { teamOfService, type PlanContext, type TeamPlan } from "./plan-context";
import type { PlannedChange } from "./types";

export async function planTeams(
  db: Db,
  ctx: PlanContext,
): Promise<{ teams: Map<string, TeamPlan>; changes: PlannedChange[] }> {
  const { actor, parsed, svcRows, fail } = ctx;
  const changes: PlannedChange[] = [];
  const teams = new Map<string, TeamPlan>();
  const wantTeam = async (slug: string, source: DocRef) => {
    if (teams.has(slug)) return teams.get(slug)!;
    const row = await db.team.findUnique({ where: { slug } });
    const t: TeamPlan = { slug, id: row?.id ?? null, slackChannel: row?.slackChannel ?? null, source };
    teams.set(slug, t);
    return t;
  };
  for (const s of parsed.services) {
    const team = s.team ?? svcRows.get(s.slug)?.team.slug;
    if (!team)
      fail(
        s.source,
        "metadata.labels.team",
        `is required to create service '${s.slug}': the slug of the owning team`,
      );
    else await wantTeam(team, s.source);
  }
  for (const b of parsed.slack) {
    const team = b.team ?? (b.service ? teamOfService(ctx, b.service) : null);
    if (!team) continue;
    const t = await wantTeam(team, b.source);
    if (t.wantChannel && t.wantChannel !== b.channel)
      fail(
        b.source,
        "spec.target",
        `team '${team}' gets two Slack channels: ${t.wantChannel} and ${b.channel}`,
      );
    t.wantChannel = b.channel;
  }
  for (const t of [...teams.values()].sort((a, b) => a.slug.localeCompare(b.slug))) {
    if (!t.id) {
      if (!isAdmin(actor)) {
        fail(
          t.source,
          "metadata.labels.team",
          `team '${t.slug}' does not exist, and only org admins create teams`,
        );
        continue;
      }
      changes.push({
        kind: "team",
        name: t.slug,
        action: "create",
        document: t.source.document,
        fields: [{ field: "slackChannel", before: null, after: t.wantChannel ?? null }],
      });
    } else if (t.wantChannel !== undefined && t.wantChannel !== t.slackChannel) {
      if (!authorised(actor, t.id)) fail(t.source, "spec.target", `you cannot change team '${t.slug}'`);
      changes.push({
        kind: "team",
        name: t.slug,
        action: "update",
        document: t.source.document,
        fields: [{ field: "slackChannel", before: t.slackChannel, after: t.wantChannel }],
      });
    } else
      changes.push({
        kind: "team",
        name: t.slug,
        action: "unchanged",
        document: t.source.document,
        fields: [],
      });
  }
  return { teams, changes };
}
