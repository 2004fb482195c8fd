import type { PolicyConditionSpec, SloResponse } from "@burnrate/contracts";
import { cumulativeCounts, loadTeamSlos, regionsOfSlos, type Db, type SloRegionData } from "@burnrate/db";
import { periodAt, type SampledSums, type SloModel, type TimeSpan } from "@burnrate/slo-core";
import { conditionInstants } from "./condition-instants";

/** One SLO of the team as the policy's conditions judge it, with the regions where it had data this period. */
export interface PolicyTarget {
  slo: SloResponse;
  model: SloModel;
  period: TimeSpan;
  regions: SloRegionData[];
  instants: number[];
}

/**
 * The team's SLOs and regions at `nowMs`, and (occurrences) the running totals at the instants the conditions
 * read for every SLO × region, in one query. Timeslices SLOs have no sums: they judge every minute.
 */
export async function loadPolicyTargets(
  db: Db,
  teamId: string,
  conditions: PolicyConditionSpec[],
  nowMs: number,
): Promise<{ targets: PolicyTarget[]; sums: Map<string, SampledSums> }> {
  const slos = await loadTeamSlos(db, teamId);
  const regionsBy = await regionsOfSlos(
    db,
    slos.map((r) => r.id),
  );
  const targets = slos.map((loaded) => {
    const slo = loaded.response;
    const model = loaded.model(nowMs);
    const period = periodAt(model.window, nowMs);
    const regions = (regionsBy.get(slo.id) ?? []).filter((r) => r.lastMs >= period.startMs);
    return { slo, model, period, regions, instants: conditionInstants(model, period, conditions, nowMs) };
  });
  const sampled = targets.flatMap((x) =>
    x.model.method === "occurrences" ? x.regions.map((region) => ({ x, region })) : [],
  );
  const queries = sampled.flatMap((p) =>
    p.x.instants.map((atMs) => ({ sloId: p.x.slo.id, regionId: p.region.id, atMs })),
  );
  const counts = await cumulativeCounts(db, queries);
  const sums = new Map<string, SampledSums>();
  let k = 0;
  for (const p of sampled) {
    const at = new Map<number, { good: number; total: number }>();
    for (const t of p.x.instants) at.set(t, counts[k++]!);
    sums.set(sumsKey(p.x.slo.id, p.region.id), { at });
  }
  return { targets, sums };
}

/** The key of an SLO × region's sums. */
export const sumsKey = (sloId: string, regionId: string) => `${sloId}|${regionId}`;
