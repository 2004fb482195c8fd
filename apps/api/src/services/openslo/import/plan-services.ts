/** Services of the file compared with the stored ones, field by field, with the owning teams' permission. */
import { compressStatuses } from "@burnrate/contracts";
import { authorised } from "./authorise";
import { diffFields } from "./diff-fields";
import type { PlanContext, TeamPlan } from "./plan-context";
import type { PlannedChange } from "./types";

export function planServices(ctx: PlanContext, teams: Map<string, TeamPlan>): PlannedChange[] {
  const { actor, parsed, svcRows, fail } = ctx;
  const changes: PlannedChange[] = [];
  for (const s of parsed.services) {
    const row = svcRows.get(s.slug);
    const team = s.team ?? row?.team.slug;
    if (!team) continue;
    const t = teams.get(team);
    if (t?.id && !authorised(actor, t.id))
      fail(s.source, "metadata.labels.team", `you cannot change services of team '${team}'`);
    if (row && row.teamId !== t?.id && !authorised(actor, row.teamId))
      fail(
        s.source,
        "metadata.labels.team",
        `you cannot move service '${s.slug}' away from team '${row.team.slug}'`,
      );
    const want = {
      name: s.name,
      team,
      description: s.description,
      runbookUrl: s.runbookUrl,
      tier: s.tier,
      failureStatuses: compressStatuses(s.failureStatuses),
    };
    if (!row) {
      changes.push({
        kind: "service",
        name: s.slug,
        action: "create",
        document: s.source.document,
        fields: Object.entries(want).map(([field, after]) => ({ field, before: null, after })),
      });
      continue;
    }
    const have = {
      name: row.name,
      team: row.team.slug,
      description: row.description,
      runbookUrl: row.runbookUrl,
      tier: row.tier,
      failureStatuses: compressStatuses(row.failureStatuses),
    };
    const fields = diffFields(have, want);
    changes.push({
      kind: "service",
      name: s.slug,
      action: fields.length ? "update" : "unchanged",
      document: s.source.document,
      fields,
    });
  }
  return changes;
}
