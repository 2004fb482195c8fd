import { bucketsWithin } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import type { Db } from "./client";
import { excludedMaintenanceSql } from "./sli-sql";
import { emptyDenseSeries, type DenseSeries } from "./sli-store/series";
import { iso } from "./sli-store/sql-helpers";

/** What an SLA is measured over: every request of its services, or one endpoint's. */
export interface SlaSeriesTarget {
  serviceIds: string[];
  endpointId: string | null;
  sli: { type: "availability" } | { type: "latency"; thresholdMs: number };
}

/**
 * Per-minute good/total of an SLA over [fromMs, toMs) (minute-aligned), read straight from the request rollups:
 * minutes still at minute resolution, and hours folded by retention at their first minute (retention moves a
 * minute into exactly one of the two tables, see foldOldRollups). Availability: good = status not in the
 * request's service's failure statuses; latency: good = within the threshold's histogram buckets. Maintenance
 * windows marked "exclude from budget" are left out, as for SLOs.
 */
export async function loadSlaSeries(
  db: Db,
  target: SlaSeriesTarget,
  fromMs: number,
  toMs: number,
): Promise<DenseSeries> {
  const out = emptyDenseSeries(fromMs, toMs);
  const n = out.good.length;
  if (n === 0 || target.serviceIds.length === 0) return out;
  const good =
    target.sli.type === "availability"
      ? "CASE WHEN request_rollups.status = ANY(s.failure_statuses) THEN 0 ELSE request_rollups.count END"
      : (() => {
          const k = bucketsWithin(target.sli.thresholdMs);
          return k === 0
            ? "0"
            : `(SELECT coalesce(sum(x), 0) FROM unnest(request_rollups.latency[1:${k}]) AS x)`;
        })();
  const rows = await db.$queryRawUnsafe<{ t: number; g: number; n: number }[]>(
    `SELECT (extract(epoch FROM request_rollups.minute) * 1000)::float8 AS t,
            sum(${good})::float8 AS g, sum(request_rollups.count)::float8 AS n
       FROM (SELECT service_id, endpoint_id, region_id, minute, status, count, latency FROM request_rollups
              WHERE minute >= $2::timestamptz AND minute < $3::timestamptz
             UNION ALL
             SELECT service_id, endpoint_id, region_id, hour, status, count, latency FROM request_rollups_hourly
              WHERE hour >= $2::timestamptz AND hour < $3::timestamptz) AS request_rollups
       JOIN services s ON s.id = request_rollups.service_id
      WHERE request_rollups.service_id = ANY($1::uuid[])
        AND ($4::uuid IS NULL OR request_rollups.endpoint_id = $4::uuid)
        AND NOT ${excludedMaintenanceSql("request_rollups.service_id")}
      GROUP BY 1`,
    target.serviceIds,
    iso(fromMs),
    iso(toMs),
    target.endpointId,
  );
  for (const r of rows) {
    const i = Math.round((Number(r.t) - fromMs) / MINUTE_MS);
    if (i < 0 || i >= n) continue;
    out.good[i] = out.good[i]! + Number(r.g);
    out.total[i] = out.total[i]! + Number(r.n);
  }
  return out;
}
