import {
  ALL_REGIONS_KEY,
  loadSlos,
  regionsOfSlos,
  replaceMetricSnapshots,
  sampledSumsPerRegion,
  type Db,
  type LoadedSlo,
  type MetricSnapshot,
} from "@burnrate/db";
import {
  evaluationInstants,
  maxLookbackMs,
  minuteEnd,
  periodAt,
  type SampledSums,
  type SloModel,
} from "@burnrate/slo-core";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";
import { decideSloAlerts } from "./decide-alerts";
import {
  DEFAULT_PROMETHEUS_PULL,
  prometheusNoDataInput,
  pullPrometheusSli,
  type PrometheusPull,
  type PrometheusPullOptions,
} from "./prometheus-sli";
import { sloSnapshots } from "./metric-snapshots";
import { pullPrometheusHistory } from "./prometheus-history";
import { recomputeShard } from "./recompute-shard";
import { loadShardAlerts } from "./shard-alerts";

/** SLOs whose alerts are written at the same time (each holds one database connection at a time). */
const DECIDE_CONCURRENCY = 4;

async function eachLimit<T>(items: T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * Recomputes and evaluates a set of SLOs at `deps.now()`. Returns the SLOs that failed (logged), and the
 * error when the shared steps failed for all of them.
 *
 * `fast`: the fast pass between cycles (fast-pass.ts). The same recompute, the same sums and the same slo-core
 * decisions as a cycle at this instant, but it only opens or escalates burn-rate alerts (what pages); everything
 * else (de-escalation, resolution, no-data alerts, the metric snapshot, Prometheus-sourced SLOs) is left to the
 * cycle, which evaluates every SLO anyway.
 */
export async function evaluateSlos(
  deps: {
    db: Db;
    enqueue: Enqueue;
    now: () => number;
    log: Logger;
    /** Time limits, retries and no-data minutes of Prometheus-sourced SLOs. */
    prometheus?: Partial<PrometheusPullOptions>;
  },
  sloIds: string[],
  dirty: Record<string, number>,
  opts: { fast?: boolean } = {},
): Promise<{ failed: string[]; error?: unknown; phases?: Record<string, number> }> {
  const fast = opts.fast === true;
  const { db } = deps;
  const t0 = performance.now();
  const phases: Record<string, number> = {};
  const mark = (name: string) => (phases[name] = Math.round(performance.now() - t0));
  const loaded = await loadSlos(db, sloIds);
  mark("load");
  const nowMs = deps.now();
  const toMs = minuteEnd(nowMs);
  const failed = new Set<string>();
  const items = new Map<string, { slo: LoadedSlo; model: SloModel }>();
  for (const slo of loaded) {
    // Counted by Prometheus, not by ingest: the fast pass has nothing fresh to read for them.
    if (fast && slo.spec.sli.type === "prometheus") continue;
    try {
      // The model parses the whole specification: a bad row fails here, before anything is written.
      items.set(slo.id, { slo, model: slo.model(nowMs) });
    } catch (err) {
      deps.log.error({ err, sloId: slo.id }, "SLO cannot be evaluated");
      failed.add(slo.id);
    }
  }
  // Prometheus-sourced SLOs are counted by Prometheus: pulled here (in parallel with the rest), never
  // recomputed from the request logs.
  const promOpts = { ...DEFAULT_PROMETHEUS_PULL, ...deps.prometheus };
  const promIds = [...items].filter(([, x]) => x.slo.spec.sli.type === "prometheus").map(([id]) => id);
  const pulls = new Map<string, PrometheusPull>();
  const pulling = eachLimit(promIds, DECIDE_CONCURRENCY, async (id) => {
    const x = items.get(id)!;
    const pull = await pullPrometheusSli(db, x.slo, x.model, nowMs, promOpts);
    if (pull.error) deps.log.warn({ sloId: id, error: pull.error }, "Prometheus SLI source gave no data");
    pulls.set(id, pull);
    // Its history (pulled when it was created) gets the minutes since; a failure here is retried next cycle.
    if (!pull.error)
      await pullPrometheusHistory(db, x.slo, nowMs, { ...promOpts, onlyNewer: true }).catch((err: unknown) =>
        deps.log.warn({ sloId: id, err }, "Prometheus history not brought up to date"),
      );
  });
  const recomputed = await recomputeShard(
    deps,
    [...items.values()].map((x) => x.slo).filter((x) => x.spec.sli.type !== "prometheus"),
    dirty,
    toMs,
  );
  await pulling;
  if (recomputed.error) return { failed: [...sloIds], error: recomputed.error };
  for (const sloId of recomputed.failed) {
    failed.add(sloId);
    items.delete(sloId);
  }
  mark("recompute");

  // Running totals at every instant a status window or tier reads, for each region with data in reach of the
  // tiers (they decide the alerts) or in the period (the metric snapshot shows the period's budget).
  const regionsBy = await regionsOfSlos(db, [...items.keys()]);
  const pairs = [...items]
    .filter(([sloId]) => !pulls.has(sloId))
    .flatMap(([sloId, x]) => {
      const reach = toMs - maxLookbackMs(x.model.tiers);
      const since = Math.min(reach, periodAt(x.model.window, nowMs).startMs);
      const instants = evaluationInstants(x.model, nowMs);
      return (regionsBy.get(sloId) ?? [])
        .filter((region) => region.lastMs >= since)
        .map((region) => ({
          sloId,
          regionId: region.id,
          slug: region.slug,
          instants,
          inReach: region.lastMs >= reach,
        }));
    });
  const sampled = await sampledSumsPerRegion(db, pairs);
  mark("sums");
  const sums = new Map<string, Map<string, SampledSums>>();
  const periodSums = new Map<string, Map<string, SampledSums>>();
  const put = (m: Map<string, Map<string, SampledSums>>, sloId: string, slug: string, s: SampledSums) =>
    m.set(sloId, (m.get(sloId) ?? new Map<string, SampledSums>()).set(slug, s));
  pairs.forEach((p, i) => {
    if (p.inReach) put(sums, p.sloId, p.slug, sampled[i]!);
    put(periodSums, p.sloId, p.slug, sampled[i]!);
  });
  // A pulled source has no regions: its counts are the SLO's, all regions together.
  for (const [sloId, pull] of pulls)
    if (pull.sums) {
      put(sums, sloId, ALL_REGIONS_KEY, pull.sums);
      put(periodSums, sloId, ALL_REGIONS_KEY, pull.sums);
    }

  const alerts = await loadShardAlerts(
    db,
    nowMs,
    [...items.keys()],
    [...new Set([...items.values()].map((x) => x.slo.row.serviceId))],
  );
  mark("alerts");

  // Alert writes are a few round trips per open or firing alert: several SLOs at a time overlap them.
  await eachLimit([...items], DECIDE_CONCURRENCY, async ([sloId, x]) => {
    try {
      const pull = pulls.get(sloId);
      await decideSloAlerts(deps, {
        slo: x.slo,
        model: x.model,
        regions: regionsBy.get(sloId) ?? [],
        sums: sums.get(sloId) ?? new Map<string, SampledSums>(),
        alerts,
        nowMs,
        toMs,
        pageOnly: fast,
        ...(pull
          ? {
              source: {
                ...prometheusNoDataInput(x.slo, pull),
                noDataMinutes: promOpts.noDataMinutes,
                reason: pull.error,
                decideBurn: pull.sums !== null,
              },
            }
          : {}),
      });
    } catch (err) {
      deps.log.error({ err, sloId }, "SLO evaluation failed");
      failed.add(sloId);
    }
  });
  mark("decide");
  if (fast) return { failed: [...failed], phases };

  // The numbers GET /metrics/slos serves, from the same sums, replaced for the whole shard at once. A failure
  // here leaves the previous snapshot (its evaluated_at tells how old it is) and does not undo the alerts.
  try {
    const snapshots: MetricSnapshot[] = [];
    const written: string[] = [];
    for (const [sloId, x] of items) {
      if (failed.has(sloId)) continue;
      const regionIds = new Map((regionsBy.get(sloId) ?? []).map((r) => [r.slug, r.id]));
      const mine = periodSums.get(sloId) ?? new Map<string, SampledSums>();
      const pull = pulls.get(sloId);
      // A failed pull keeps the previous snapshot (its evaluated_at tells how old it is).
      if (pull && !pull.sums) continue;
      const rows = await sloSnapshots(db, { sloId, model: x.model, sums: mine, regionIds }, nowMs);
      // A pulled source's sums are already all regions together: one row, not the same one twice.
      snapshots.push(...(pull ? rows.filter((r) => r.regionKey === ALL_REGIONS_KEY).slice(0, 1) : rows));
      written.push(sloId);
    }
    await replaceMetricSnapshots(db, written, snapshots);
  } catch (err) {
    deps.log.error({ err }, "SLO metric snapshot not written");
  }
  mark("snapshot");
  deps.log.debug({ slos: sloIds.length, phases }, "evaluation phases (ms since start)");
  return { failed: [...failed], phases };
}
