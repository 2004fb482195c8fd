import { LATENCY_BUCKETS } from "@burnrate/contracts";
import type { Db } from "./client";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "./retention";

const HOUR_MS = 3600_000;

export interface RollupRow {
  serviceId: string;
  endpointId: string;
  regionId: string;
  minuteMs: number;
  status: number;
  count: number;
  latency: Int32Array | number[]; // LATENCY_BUCKETS counts
}

/** Adds counts into the per-minute rollups; late records update their minute. One statement per call. */
export async function upsertRollups(db: Db, rows: RollupRow[]): Promise<void> {
  if (rows.length === 0) return;
  const svc: string[] = [];
  const ep: string[] = [];
  const reg: string[] = [];
  const minute: string[] = [];
  const status: number[] = [];
  const count: number[] = [];
  const lat: string[] = [];
  for (const r of rows) {
    if (r.latency.length !== LATENCY_BUCKETS)
      throw new Error(`latency histogram must have ${LATENCY_BUCKETS} buckets`);
    svc.push(r.serviceId);
    ep.push(r.endpointId);
    reg.push(r.regionId);
    minute.push(new Date(r.minuteMs).toISOString());
    status.push(r.status);
    count.push(r.count);
    lat.push(`{${Array.prototype.join.call(r.latency, ",")}}`);
  }
  await db.$executeRawUnsafe(
    `INSERT INTO request_rollups (service_id, endpoint_id, region_id, minute, status, count, latency)
     SELECT s, e, r, m, st, c, l::int[]
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::int[], $6::int[], $7::text[])
         AS u(s, e, r, m, st, c, l)
     ON CONFLICT (service_id, minute, endpoint_id, region_id, status) DO UPDATE
       SET count = request_rollups.count + EXCLUDED.count,
           latency = (SELECT array_agg(a + b ORDER BY i)
                        FROM unnest(request_rollups.latency, EXCLUDED.latency) WITH ORDINALITY AS x(a, b, i))`,
    svc,
    ep,
    reg,
    minute,
    status,
    count,
    lat,
  );
}

/**
 * Folds minute rollups older than the cutoff (hour-aligned, MINUTE_RETENTION_MS ago) into
 * `request_rollups_hourly`, deletes them, and drops hourly rollups older than HOUR_RETENTION_MS. One
 * transaction: every minute is in exactly one of the two resolutions at any time.
 */
export async function foldOldRollups(
  db: Db,
  nowMs: number,
): Promise<{ cutoffMs: number; rollupMinutesFolded: number; hourlyRowsDropped: number }> {
  const cutoffMs = Math.floor((nowMs - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  const hourlyCutoff = new Date(nowMs - HOUR_RETENTION_MS).toISOString();
  const [, rollupMinutesFolded, hourlyRowsDropped] = await db.$transaction([
    db.$executeRawUnsafe(
      `WITH b AS (
         SELECT service_id, date_trunc('hour', minute, 'UTC') AS hour, endpoint_id, region_id, status, i,
                sum(v)::int AS s
           FROM request_rollups CROSS JOIN LATERAL unnest(latency) WITH ORDINALITY AS u(v, i)
          WHERE minute < $1::timestamptz
          GROUP BY 1, 2, 3, 4, 5, 6
       ), h AS (
         SELECT service_id, hour, endpoint_id, region_id, status, array_agg(s ORDER BY i)::int[] AS latency
           FROM b GROUP BY 1, 2, 3, 4, 5
       ), c AS (
         SELECT service_id, date_trunc('hour', minute, 'UTC') AS hour, endpoint_id, region_id, status,
                sum(count)::int AS n
           FROM request_rollups WHERE minute < $1::timestamptz
          GROUP BY 1, 2, 3, 4, 5
       )
       INSERT INTO request_rollups_hourly (service_id, hour, endpoint_id, region_id, status, count, latency)
       SELECT c.service_id, c.hour, c.endpoint_id, c.region_id, c.status, c.n, h.latency
         FROM c JOIN h USING (service_id, hour, endpoint_id, region_id, status)
       ON CONFLICT (service_id, hour, endpoint_id, region_id, status) DO UPDATE
         SET count = request_rollups_hourly.count + EXCLUDED.count,
             latency = (SELECT array_agg(a + b ORDER BY i)
                          FROM unnest(request_rollups_hourly.latency, EXCLUDED.latency)
                               WITH ORDINALITY AS y(a, b, i))`,
      cutoff,
    ),
    db.$executeRawUnsafe(`DELETE FROM request_rollups WHERE minute < $1::timestamptz`, cutoff),
    db.$executeRawUnsafe(`DELETE FROM request_rollups_hourly WHERE hour < $1::timestamptz`, hourlyCutoff),
  ]);
  return { cutoffMs, rollupMinutesFolded, hourlyRowsDropped };
}
