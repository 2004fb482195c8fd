import { foldOldRollups, foldOldSliMinutes, type Db } from "@burnrate/db";
import { HOUR_MS } from "@burnrate/slo-core";
import type { Logger } from "pino";

/** How often the retention job runs (a BullMQ job scheduler; several workers upsert one schedule). */
export const RETENTION_EVERY_MS = HOUR_MS;

/**
 * Retention: minute rollups older than 8 days are folded into hourly rows and dropped, SLI hours older than 8 days
 * lose their minutes (hour resolution); hourly
 * rows older than 450 days are dropped. Idempotent: a second run in the same hour finds nothing to fold.
 */
export function createRetentionJob(deps: { db: Db; now: () => number; log: Logger }) {
  return async () => {
    const t0 = Date.now();
    const nowMs = deps.now();
    const rollups = await foldOldRollups(deps.db, nowMs);
    const sli = await foldOldSliMinutes(deps.db, nowMs);
    const r = {
      cutoffMs: rollups.cutoffMs,
      rollupMinutesFolded: rollups.rollupMinutesFolded,
      sliHoursFolded: sli.sliHoursFolded,
      hourlyRowsDropped: rollups.hourlyRowsDropped + sli.hourlyRowsDropped,
    };
    deps.log.info({ ...r, ms: Date.now() - t0 }, "retention: old minutes folded into hours");
    return r;
  };
}
