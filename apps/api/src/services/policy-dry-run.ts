import type { PolicyDryRunBody, PolicyDryRunResponse } from "@burnrate/contracts";
import { loadSliSeries, loadTeamSlos, regionsOfSlos, sampledSumsPerRegion, type Db } from "@burnrate/db";
import {
  HOUR_MS,
  budgetBurnedWithin,
  buildPrefixSums,
  conditionInstants,
  evaluateCondition,
  evaluationInstants,
  minuteEnd,
  periodAt,
  statusFromSums,
  statusRange,
  type CountSums,
} from "@burnrate/slo-core";
import { findTeam } from "./teams/find-team";

/**
 * Which of the team's SLO × regions meet each automatic condition right now, judged exactly as the policy job
 * judges them (slo-core's evaluateCondition on the period's status), without saving or enacting anything.
 * Manual conditions are declared by people and are not judged. Regions without data this period are left out.
 */
export async function dryRunPolicy(deps: {
  db: Db;
  team: string;
  input: PolicyDryRunBody;
  nowMs: number;
}): Promise<PolicyDryRunResponse> {
  const { db, nowMs } = deps;
  const team = await findTeam(db, deps.team);
  const conditions = deps.input.conditions.filter((c) => c.type !== "manual");
  const slos = await loadTeamSlos(db, team.id);
  const regionsBy = await regionsOfSlos(
    db,
    slos.map((s) => s.id),
  );
  const pairs = slos.flatMap((loaded) => {
    const model = loaded.model(nowMs);
    const period = periodAt(model.window, nowMs);
    const instants = conditionInstants(evaluationInstants(model, nowMs), period.startMs, conditions, nowMs);
    return (regionsBy.get(loaded.id) ?? [])
      .filter((r) => r.lastMs >= period.startMs)
      .map((region) => ({ loaded, model, region, instants }));
  });
  // Occurrences read running totals at a few instants (one query for all); timeslices judge every minute.
  const sampledPairs = pairs.filter((p) => p.model.method === "occurrences");
  const sampled = await sampledSumsPerRegion(
    db,
    sampledPairs.map((p) => ({ sloId: p.loaded.id, regionId: p.region.id, instants: p.instants })),
  );
  const sumsOf = new Map(sampledPairs.map((p, i) => [p, sampled[i]!]));
  const rows: PolicyDryRunResponse["rows"] = [];
  for (const p of pairs) {
    const sums: CountSums =
      sumsOf.get(p) ??
      buildPrefixSums(
        await loadSliSeries(
          db,
          p.loaded.id,
          p.region.id,
          statusRange(p.model, nowMs).fromMs,
          minuteEnd(nowMs),
        ),
      );
    const status = statusFromSums(p.model, sums, nowMs);
    const slo = p.loaded.response;
    rows.push({
      sloId: slo.id,
      slo: slo.name,
      service: slo.service,
      region: p.region.slug,
      remainingFraction: status.remaining,
      results: conditions.map((c) => {
        const r = evaluateCondition(c as Parameters<typeof evaluateCondition>[0], {
          remaining: status.remaining,
          burnedFractionWithin: (hours) => budgetBurnedWithin(p.model, sums, nowMs, hours * HOUR_MS),
        });
        return { conditionId: c.id, met: r.met, value: Number.isFinite(r.value) ? r.value : null };
      }),
    });
  }
  return { at: new Date(nowMs).toISOString(), rows };
}
