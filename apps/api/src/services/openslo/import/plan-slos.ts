/**
 * SLOs of the file matched with the stored explicit SLOs by service and name, and compared field by field in
 * the form where equal meaning compares equal.
 */
import { toSloResponse, type SloWithService } from "@burnrate/db";
import { authorised } from "./authorise";
import { comparable } from "./comparable";
import { diffFields } from "./diff-fields";
import { teamOfService, type PlanContext, type SloPlan, type TeamPlan } from "./plan-context";
import type { PlannedChange } from "./types";

export function planSlos(
  ctx: PlanContext,
  teams: Map<string, TeamPlan>,
  existing: SloWithService[],
): { sloPlans: SloPlan[]; changes: PlannedChange[] } {
  const { actor, parsed, svcRows, fail } = ctx;
  const sloPlans: SloPlan[] = [];
  const changes: PlannedChange[] = [];
  for (const s of parsed.slos) {
    const svcKnown = svcRows.has(s.service) || parsed.services.some((x) => x.slug === s.service);
    if (!svcKnown) {
      fail(
        s.source,
        "spec.service",
        `service '${s.service}' does not exist and no Service document in the file creates it`,
      );
      continue;
    }
    const team = teamOfService(ctx, s.service);
    const teamId = team ? (teams.get(team)?.id ?? svcRows.get(s.service)?.teamId) : undefined;
    if (teamId && !authorised(actor, teamId))
      fail(s.source, "spec.service", `you cannot change SLOs of team '${team}'`);
    const matches = existing.filter((e) => e.service.slug === s.service && e.name === s.input.name);
    if (matches.length > 1) {
      fail(
        s.source,
        "metadata.displayName",
        `service '${s.service}' has ${matches.length} SLOs named '${s.input.name}'; rename one so the import can tell them apart`,
      );
      continue;
    }
    const current = matches[0] ? toSloResponse(matches[0]) : null;
    const want = comparable(s.input);
    const fields = current
      ? diffFields(comparable(current), want)
      : Object.entries(want).map(([field, after]) => ({ field, before: null, after }));
    sloPlans.push({ input: s.input, current, fields });
    changes.push({
      kind: "slo",
      name: `${s.service}/${s.input.name}`,
      action: !current ? "create" : fields.length ? "update" : "unchanged",
      document: s.source.document,
      fields: current ? fields : fields.filter((f) => f.after !== null),
    });
  }
  return { sloPlans, changes };
}
