import { HOUR_MS } from "@burnrate/slo-core";
import type { Db } from "../client";
import { excludedMaintenanceSql, sliAggregateSql } from "../sli-sql";
import type { SliTarget } from "./sli-target";
import { iso } from "./sql-helpers";
import { writeSli } from "./write-transaction";

/**
 * Rebuilds the hours [fromMs, toMs) (hour-aligned, before minuteDetailFromMs) of one SLO at hour resolution,
 * from the hourly rollups and any minute rollups retention has not folded yet. For history older than the
 * minutes kept (a new or changed SLO's backfill): the hours' counts stand for their first minute.
 */
export async function rebuildSliHours(
  db: Db,
  target: SliTarget,
  fromMs: number,
  toMs: number,
): Promise<void> {
  const from = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
  const to = Math.floor(toMs / HOUR_MS) * HOUR_MS;
  if (to <= from) return;
  await writeSli(db, [target.sloId], async (tx, locked) => {
    if (!locked.has(target.sloId)) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO sli_changed (slo_id, region_id, h0, exact)
       SELECT slo_id, region_id, $2::timestamptz, true FROM slo_regions WHERE slo_id = $1::uuid`,
      target.sloId,
      iso(from),
    );
    await tx.$executeRawUnsafe(
      `DELETE FROM sli_hours WHERE slo_id = $1::uuid AND hour >= $2::timestamptz AND hour < $3::timestamptz`,
      target.sloId,
      iso(from),
      iso(to),
    );
    const agg = sliAggregateSql(target, 6);
    await tx.$executeRawUnsafe(
      `WITH ins AS (
         INSERT INTO sli_hours (slo_id, region_id, hour, good, total)
         SELECT $1::uuid, region_id, minute, (${agg.good})::bigint, (${agg.total})::bigint
           FROM (SELECT endpoint_id, region_id, hour AS minute, status, count, latency
                   FROM request_rollups_hourly
                  WHERE service_id = $2::uuid AND hour >= $3::timestamptz AND hour < $4::timestamptz
                 UNION ALL
                 SELECT endpoint_id, region_id, date_trunc('hour', minute, 'UTC'), status, count, latency
                   FROM request_rollups
                  WHERE service_id = $2::uuid AND minute >= $3::timestamptz AND minute < $4::timestamptz
                ) AS request_rollups
          WHERE ($5::uuid IS NULL OR endpoint_id = $5::uuid) AND NOT ${excludedMaintenanceSql("$2::uuid")}
          GROUP BY region_id, minute
         HAVING (${agg.total}) > 0
         RETURNING region_id)
       INSERT INTO sli_changed (slo_id, region_id, h0, exact)
       SELECT DISTINCT $1::uuid, region_id, $3::timestamptz, true FROM ins`,
      target.sloId,
      target.serviceId,
      iso(from),
      iso(to),
      target.endpointId,
      ...agg.params,
    );
  });
}
