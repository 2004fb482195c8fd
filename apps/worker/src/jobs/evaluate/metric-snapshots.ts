import { ALL_REGIONS_KEY, loadSliSeries, type Db, type MetricSnapshot } from "@burnrate/db";
import {
  buildPrefixSums,
  evaluationInstants,
  minuteEnd,
  statusFromSums,
  statusRange,
  windowMetrics,
  type CountSums,
  type EventCounts,
  type SampledSums,
  type SloModel,
} from "@burnrate/slo-core";

/**
 * The snapshot rows of one SLO: each region whose running totals the evaluation sampled, and all regions
 * together (their sum, as the status adds them up). The numbers are slo-core's status (statusFromSums, the
 * function GET /status calls) and window metrics, over the sums the evaluation read. Timeslices budgets judge
 * every minute of the period, so for them the minutes are loaded (one query per region).
 */
export async function sloSnapshots(
  db: Db,
  a: { sloId: string; model: SloModel; sums: Map<string, SampledSums>; regionIds: Map<string, string> },
  nowMs: number,
): Promise<MetricSnapshot[]> {
  const { model } = a;
  const toMs = minuteEnd(nowMs);
  const keys = [...a.sums.keys()].sort();
  const byKey: [string, CountSums][] = [];
  if (model.method === "timeslices") {
    const range = statusRange(model, nowMs);
    for (const key of [...keys, ALL_REGIONS_KEY]) {
      const regionId = key === ALL_REGIONS_KEY ? null : a.regionIds.get(key)!;
      byKey.push([
        key,
        buildPrefixSums(await loadSliSeries(db, a.sloId, regionId, range.fromMs, range.toMs)),
      ]);
    }
  } else {
    for (const key of keys) byKey.push([key, a.sums.get(key)!]);
    byKey.push([
      ALL_REGIONS_KEY,
      addSampledSums(
        keys.map((k) => a.sums.get(k)!),
        evaluationInstants(model, nowMs),
      ),
    ]);
  }
  return byKey.map(([regionKey, sums]) => {
    const status = statusFromSums(model, sums, nowMs);
    const firing = (severity: string) => status.tiers.some((t) => t.firing && t.severity === severity);
    return {
      sloId: a.sloId,
      regionKey,
      evaluatedAtMs: nowMs,
      objective: model.objective,
      // Requests, for every budgeting method (a timeslices status counts its budget in bad minutes).
      good: status.counts.good,
      bad: status.counts.total - status.counts.good,
      sli: status.sli,
      remaining: status.remaining,
      windows: windowMetrics(sums, toMs, model.objective, model.tiers).map((w) => ({
        window: w.window,
        sli: w.sli,
        burnRate: w.burnRate,
      })),
      pageFiring: firing("page"),
      ticketFiring: firing("ticket"),
    };
  });
}

/** Running totals of all regions: the regions' totals added up at each instant (zero when there is none). */
function addSampledSums(list: SampledSums[], instants: number[]): SampledSums {
  const at = new Map<number, EventCounts>(instants.map((t) => [t, { good: 0, total: 0 }]));
  for (const t of instants) {
    const sum = at.get(t)!;
    for (const s of list) {
      const c = s.at.get(t)!;
      sum.good += c.good;
      sum.total += c.total;
    }
  }
  return { at };
}
