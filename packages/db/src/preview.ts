import type { SliSpec } from "@burnrate/contracts";
import { HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import type { Db } from "./client";
import { lastFoldedHourMs } from "./rollup-bounds";
import { excludedMaintenanceSql, sliAggregateSql } from "./sli-sql";
import { emptyDenseSeries, type DenseSeries } from "./sli-store";

/** What a proposed SLO measures: no SLO row exists yet. */
export interface PreviewTarget {
  serviceId: string;
  endpointId: string | null;
  failureStatuses: number[];
  sli: SliSpec;
}

/**
 * Per-minute good/total of a proposed SLO over [fromMs, toMs) (minute-aligned), all regions together, computed
 * from the rollups with the same expressions and maintenance exclusions as the evaluator's SLI hours, but
 * written nowhere. Minutes retention already folded come from `request_rollups_hourly`, each hour's counts at
 * the hour's first minute (like loadSliSeries); minutes are read after the last folded hour only.
 */
export async function previewSliSeries(
  db: Db,
  t: PreviewTarget,
  fromMs: number,
  toMs: number,
): Promise<DenseSeries> {
  const series = emptyDenseSeries(fromMs, toMs);
  const { good, total } = series;
  const n = good.length;
  if (n === 0) return series;
  const lastHour = await lastFoldedHourMs(db, t.serviceId);
  const boundary = lastHour === null ? fromMs : Math.max(fromMs, lastHour + HOUR_MS);
  const agg = sliAggregateSql(t, 6);
  const rows = await db.$queryRawUnsafe<{ t: number; g: number; n: number }[]>(
    `SELECT (extract(epoch FROM minute) * 1000)::float8 AS t, (${agg.good})::float8 AS g, (${agg.total})::float8 AS n
       FROM (SELECT service_id, endpoint_id, region_id, minute, status, count, latency
               FROM request_rollups
              WHERE service_id = $4::uuid AND minute >= $3::timestamptz AND minute < $2::timestamptz
             UNION ALL
             SELECT service_id, endpoint_id, region_id, hour, status, count, latency
               FROM request_rollups_hourly
              WHERE service_id = $4::uuid AND hour >= $1::timestamptz AND hour < $3::timestamptz) AS request_rollups
      WHERE ($5::uuid IS NULL OR endpoint_id = $5::uuid)
        AND NOT ${excludedMaintenanceSql("$4::uuid")}
      GROUP BY minute`,
    new Date(fromMs).toISOString(),
    new Date(toMs).toISOString(),
    new Date(boundary).toISOString(),
    t.serviceId,
    t.endpointId,
    ...agg.params,
  );
  for (const r of rows) {
    const i = Math.floor((Number(r.t) - fromMs) / MINUTE_MS);
    if (i >= 0 && i < n) {
      good[i] = good[i]! + Number(r.g);
      total[i] = total[i]! + Number(r.n);
    }
  }
  return series;
}
