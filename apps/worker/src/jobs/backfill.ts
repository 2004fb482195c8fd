import type { BackfillSloJob } from "@burnrate/contracts";
import {
  HOUR_RETENTION_MS,
  loadSlo,
  minuteDetailFromMs,
  oldestRollupMs,
  rebuildSliHours,
  recomputeSli,
  type Db,
} from "@burnrate/db";
import { DAY_MS, HOUR_MS, minuteEnd } from "@burnrate/slo-core";
import type { Logger } from "pino";
import { pullPrometheusHistory } from "./evaluate/prometheus-history";
import type { PrometheusPullOptions } from "./evaluate/prometheus-sli";
import { resnapshotSlo } from "./period-snapshots";

/**
 * Recomputes an SLO's SLI history from the rollups, reporting progress on the SLO (`backfillPercent`):
 *  1. the minutes kept at minute resolution (MINUTE_RETENTION_MS), a day at a time, newest first, so the
 *     burn-rate windows are right after the first steps;
 *  2. everything older, back to the oldest rollup of the service (HOUR_RETENTION_MS at most), at hour
 *     resolution, so the period budgets and the yearly indicators are right at once.
 * SLI history older than every rollup cannot be recomputed and is kept as it is.
 */
export function createBackfillJob(deps: {
  db: Db;
  now: () => number;
  log: Logger;
  /** Time limits, retries and credentials' key for Prometheus-sourced SLOs. */
  prometheus?: Partial<PrometheusPullOptions>;
}) {
  return async (payload: Pick<BackfillSloJob, "sloId">) => {
    const { db } = deps;
    const slo = await loadSlo(db, payload.sloId);
    if (!slo) return { skipped: "slo deleted" };
    if (slo.spec.sli.type === "prometheus") {
      // Counted by Prometheus, not by the rollups: its history is pulled from Prometheus (resumable; a failed
      // query fails the job, whose retry resumes where it stopped).
      const held = await pullPrometheusHistory(db, slo, deps.now(), {
        ...deps.prometheus,
        onChunk: async (p) => {
          const percent = Math.min(99, Math.floor((p.done / p.of) * 100));
          await db.slo.updateMany({ where: { id: slo.id }, data: { backfillPercent: percent } });
        },
      });
      await db.slo.updateMany({ where: { id: slo.id }, data: { backfillPercent: 100 } });
      deps.log.info({ sloId: slo.id, ...held }, "Prometheus history pulled");
      return held;
    }
    const { row, target } = slo;
    const nowMs = deps.now();
    const toMs = minuteEnd(nowMs);
    const detailFrom = minuteDetailFromMs(nowMs);
    const oldest = (await oldestRollupMs(db, row.serviceId)) ?? detailFrom;
    const historyFrom =
      Math.floor(Math.max(toMs - HOUR_RETENTION_MS, Math.min(oldest, detailFrom)) / HOUR_MS) * HOUR_MS;
    const days: [number, number][] = [];
    for (let b = toMs; b > detailFrom;) {
      const a = Math.max(detailFrom, (Math.ceil(b / DAY_MS) - 1) * DAY_MS); // the UTC day that ends at b
      days.push([a, b]);
      b = a;
    }
    const steps = days.length + 1;
    let done = 0;
    const progress = async () => {
      done++;
      const percent = Math.min(99, Math.floor((done / steps) * 100));
      await db.slo.updateMany({ where: { id: row.id }, data: { backfillPercent: percent } });
    };
    for (const [a, b] of days) {
      await recomputeSli(db, [{ target, fromMs: a }], b);
      await progress();
    }
    if (historyFrom < detailFrom) await rebuildSliHours(db, target, historyFrom, detailFrom);
    // Traffic that arrived while the backfill ran may have been evaluated before the backfill wrote its (older)
    // view of the same minutes over it, and its dirty mark is spent: the recent minutes once more, as they are now.
    await recomputeSli(
      db,
      [{ target, fromMs: Math.max(detailFrom, toMs - 2 * HOUR_MS) }],
      minuteEnd(deps.now()),
    );
    await db.slo.updateMany({ where: { id: row.id }, data: { backfillPercent: 100 } });
    // The periods analysed from the history before are stale: analysed again from the history as it is now.
    await resnapshotSlo(deps, row.id);
    deps.log.info(
      { sloId: row.id, minuteDays: days.length, hoursFrom: new Date(historyFrom).toISOString() },
      "backfill done",
    );
    return { days: days.length, historyFrom };
  };
}
