import { loadSliSeries, type Db } from "@burnrate/db";
import { statusRange, type Priority, type SloModel } from "@burnrate/slo-core";
import { alertPriority } from "./alert-priority";

/** The derived priority of an SLO × region's alert at `nowMs` (alertPriority over the minutes its status reads). */
export async function derivePriority(
  db: Db,
  a: { sloId: string; regionId: string | null; model: SloModel; nowMs: number },
): Promise<Priority | null> {
  const range = statusRange(a.model, a.nowMs);
  const series = await loadSliSeries(db, a.sloId, a.regionId, range.fromMs, range.toMs);
  return alertPriority(a.model, series, a.nowMs);
}
