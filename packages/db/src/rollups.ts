import { LATENCY_BUCKETS, bucketsWithin, type SliSpec } from "@burnrate/contracts";
import type { Db } from "./client";

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

export interface SliTarget {
  sloId: string;
  serviceId: string;
  endpointId: string | null;
  failureStatuses: number[];
  sli: SliSpec;
}

/**
 * Recomputes good/total per region and minute of one SLO for [fromMs, toMs) from the rollups.
 * Availability: good = status not in the service's failure set. Latency: good = duration within the
 * threshold (histogram buckets, see latency-buckets.ts), total = every request.
 */
export async function recomputeSliMinutes(
  db: Db,
  t: SliTarget,
  fromMs: number,
  toMs: number,
): Promise<number> {
  if (t.sli.type === "ratio") throw new Error("ratio SLIs are not evaluated from rollups yet");
  const good =
    t.sli.type === "availability"
      ? `coalesce(sum(count) FILTER (WHERE NOT (status = ANY($6::int[]))), 0)`
      : bucketsWithin(t.sli.thresholdMs) === 0
        ? "0"
        : `coalesce(sum((SELECT sum(x) FROM unnest(latency[1:${bucketsWithin(t.sli.thresholdMs)}]) AS x)), 0)`;
  const from = new Date(fromMs).toISOString();
  const to = new Date(toMs).toISOString();
  const [, inserted] = await db.$transaction([
    db.$executeRawUnsafe(
      `DELETE FROM sli_minutes WHERE slo_id = $1::uuid AND minute >= $2::timestamptz AND minute < $3::timestamptz`,
      t.sloId,
      from,
      to,
    ),
    db.$executeRawUnsafe(
      `INSERT INTO sli_minutes (slo_id, region_id, minute, good, total)
       SELECT $1::uuid, region_id, minute, (${good})::int, sum(count)::int
         FROM request_rollups
        WHERE service_id = $4::uuid AND minute >= $2::timestamptz AND minute < $3::timestamptz
          AND ($5::uuid IS NULL OR endpoint_id = $5::uuid)
        GROUP BY region_id, minute`,
      t.sloId,
      from,
      to,
      t.serviceId,
      t.endpointId,
      ...(t.sli.type === "availability" ? [t.failureStatuses] : []),
    ),
  ]);
  return inserted;
}

export interface DenseSeries {
  startMs: number;
  good: Float64Array;
  total: Float64Array;
}

/** Per-minute good/total of one SLO over [fromMs, toMs) (minute-aligned), one region or all (regionId null). */
export async function loadMinuteSeries(
  db: Db,
  sloId: string,
  regionId: string | null,
  fromMs: number,
  toMs: number,
): Promise<DenseSeries> {
  const n = Math.max(0, Math.ceil((toMs - fromMs) / 60_000));
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  const rows = await db.$queryRawUnsafe<{ t: number; g: number; n: number }[]>(
    `SELECT (extract(epoch FROM minute) * 1000)::float8 AS t, sum(good)::float8 AS g, sum(total)::float8 AS n
       FROM sli_minutes
      WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)
        AND minute >= $3::timestamptz AND minute < $4::timestamptz
      GROUP BY minute`,
    sloId,
    regionId,
    new Date(fromMs).toISOString(),
    new Date(toMs).toISOString(),
  );
  for (const r of rows) {
    const i = Math.floor((Number(r.t) - fromMs) / 60_000);
    if (i >= 0 && i < n) {
      good[i] = Number(r.g);
      total[i] = Number(r.n);
    }
  }
  return { startMs: fromMs, good, total };
}

/** Regions where an SLO has data, with the last minute seen in each. */
export async function sloRegions(
  db: Db,
  sloId: string,
): Promise<{ id: string; slug: string; lastMs: number }[]> {
  const rows = await db.$queryRawUnsafe<{ id: string; slug: string; last: number }[]>(
    `SELECT r.id, r.slug, (extract(epoch FROM max(m.minute)) * 1000)::float8 AS last
       FROM sli_minutes m JOIN regions r ON r.id = m.region_id
      WHERE m.slo_id = $1::uuid GROUP BY r.id, r.slug ORDER BY r.slug`,
    sloId,
  );
  return rows.map((r) => ({ id: r.id, slug: r.slug, lastMs: Number(r.last) }));
}

/** The first minute with data of an SLO (one region or all), or null. */
export async function firstDataMs(db: Db, sloId: string, regionId: string | null): Promise<number | null> {
  const rows = await db.$queryRawUnsafe<{ t: number | null }[]>(
    `SELECT (extract(epoch FROM min(minute)) * 1000)::float8 AS t FROM sli_minutes
      WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)`,
    sloId,
    regionId,
  );
  const t = rows[0]?.t;
  return t === null || t === undefined ? null : Number(t);
}
