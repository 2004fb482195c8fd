import type { BackfillSloJob } from "@burnrate/contracts";
import { recomputeSliMinutes, toSloModel, toSloResponse, type Db } from "@burnrate/db";
import { maxLookbackMs, minuteEnd, periodAt } from "@burnrate/slo-core";
import type { Logger } from "pino";

const DAY_MS = 24 * 3600_000;
/** History recomputed at least this far back, so the editor's 28-day preview and the graphs have data. */
const MIN_BACKFILL_MS = 35 * DAY_MS;

/** Recomputes an SLO's per-minute SLI from the rollups, a day at a time, reporting progress on the SLO. */
export function createBackfillJob(deps: { db: Db; now: () => number; log: Logger }) {
  return async (payload: BackfillSloJob) => {
    const { db } = deps;
    const row = await db.slo.findUnique({
      where: { id: payload.sloId },
      include: { service: { include: { team: true } }, endpoint: true },
    });
    if (!row) return { skipped: "slo deleted" };
    const slo = toSloResponse(row);
    const nowMs = deps.now();
    const toMs = minuteEnd(nowMs);
    const model = toSloModel(slo, nowMs);
    const periodStart = periodAt(model.window, nowMs).startMs;
    const fromMs =
      Math.floor(Math.min(periodStart - maxLookbackMs(model.tiers), toMs - MIN_BACKFILL_MS) / DAY_MS) *
      DAY_MS;
    const chunks = Math.ceil((toMs - fromMs) / DAY_MS);
    const target = {
      sloId: row.id,
      serviceId: row.serviceId,
      endpointId: row.endpointId,
      failureStatuses: row.service.failureStatuses,
      sli: slo.sli,
    };
    for (let i = 0; i < chunks; i++) {
      const a = fromMs + i * DAY_MS;
      await recomputeSliMinutes(db, target, a, Math.min(toMs, a + DAY_MS));
      const percent = Math.floor(((i + 1) / chunks) * 100);
      if (percent < 100 && i % 5 === 4)
        await db.slo.update({ where: { id: row.id }, data: { backfillPercent: percent } });
    }
    await db.slo.update({ where: { id: row.id }, data: { backfillPercent: 100 } });
    deps.log.info({ sloId: row.id, days: chunks }, "backfill done");
    return { days: chunks };
  };
}
