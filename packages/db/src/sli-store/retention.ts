import { DAY_MS } from "@burnrate/slo-core";
import type { Db } from "../client";
import { HOUR_RETENTION_MS, minuteDetailFromMs } from "../retention";
import { iso } from "./sql-helpers";

// Retention of SLI hours: minutes for MINUTE_RETENTION_MS, hours for HOUR_RETENTION_MS.

/** How far before the cutoff retention looks for hours still holding minutes (it runs every hour). */
const FOLD_SCAN_MS = 3 * DAY_MS;

/**
 * Folds SLI hours older than the cutoff (hour-aligned, MINUTE_RETENTION_MS ago) to hour resolution (drops their
 * minutes; the running totals stay valid) and deletes hours older than HOUR_RETENTION_MS. Idempotent.
 */
export async function foldOldSliMinutes(
  db: Db,
  nowMs: number,
): Promise<{ cutoffMs: number; sliHoursFolded: number; hourlyRowsDropped: number }> {
  const cutoffMs = minuteDetailFromMs(nowMs);
  const [sliHoursFolded, hourlyRowsDropped] = await db.$transaction([
    // The hours that crossed the cutoff since the last runs (hourly; FOLD_SCAN_MS of slack for missed runs),
    // found by the BRIN index on hour.
    db.$executeRawUnsafe(
      `UPDATE sli_hours SET minute_good = NULL, minute_total = NULL
        WHERE hour >= $2::timestamptz AND hour < $1::timestamptz AND minute_total IS NOT NULL`,
      iso(cutoffMs),
      iso(cutoffMs - FOLD_SCAN_MS),
    ),
    db.$executeRawUnsafe(
      `DELETE FROM sli_hours WHERE hour < $1::timestamptz`,
      iso(nowMs - HOUR_RETENTION_MS),
    ),
  ]);
  if (hourlyRowsDropped > 0)
    await db.$executeRawUnsafe(
      `UPDATE slo_regions r SET first_at = f.t
         FROM (SELECT s.slo_id, s.region_id, (SELECT min(h.hour) FROM sli_hours h
                                              WHERE h.slo_id = s.slo_id AND h.region_id = s.region_id) AS t
                 FROM slo_regions s WHERE s.first_at < $1::timestamptz) f
        WHERE r.slo_id = f.slo_id AND r.region_id = f.region_id AND f.t IS NOT NULL`,
      iso(nowMs - HOUR_RETENTION_MS),
    );
  return { cutoffMs, sliHoursFolded, hourlyRowsDropped };
}
