import { bucketsWithin, type SliSpec } from "@burnrate/contracts";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "./retention";
import type { Db } from "./client";
import { ratioSliSql } from "./ratio-sql";

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
/** Minutes inside a maintenance window marked "exclude from budget" (its service, its region or all) do not count. */
const EXCLUDED_MAINTENANCE_MINUTE = `SELECT 1 FROM deployments d
            WHERE d.service_id = $4::uuid AND d.kind = 'maintenance' AND d.exclude_from_budget
              AND d.ends_at IS NOT NULL AND (d.region_id IS NULL OR d.region_id = request_rollups.region_id)
              AND request_rollups.minute >= date_trunc('minute', d.at) AND request_rollups.minute < d.ends_at`;

export async function recomputeSliMinutes(
  db: Db,
  t: SliTarget,
  fromMs: number,
  toMs: number,
): Promise<number> {
  // Ratio SLIs: good/total are compiled filters with their own bind parameters from $6 (see ratio-sql.ts).
  const ratio = t.sli.type === "ratio" ? ratioSliSql(t.sli, 6) : null;
  const good =
    t.sli.type === "ratio"
      ? ratio!.good
      : t.sli.type === "availability"
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
       SELECT $1::uuid, region_id, minute, (${good})::int, (${ratio ? ratio.total : "sum(count)"})::int
         FROM request_rollups
        WHERE service_id = $4::uuid AND minute >= $2::timestamptz AND minute < $3::timestamptz
          AND ($5::uuid IS NULL OR endpoint_id = $5::uuid)
          AND NOT EXISTS (${EXCLUDED_MAINTENANCE_MINUTE})
        GROUP BY region_id, minute`,
      t.sloId,
      from,
      to,
      t.serviceId,
      t.endpointId,
      ...(t.sli.type === "availability" ? [t.failureStatuses] : (ratio?.params ?? [])),
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

/** The first minute with data of an SLO (one region or all; minutes or folded hours), or null. */
export async function firstDataMs(db: Db, sloId: string, regionId: string | null): Promise<number | null> {
  const rows = await db.$queryRawUnsafe<{ t: number | null }[]>(
    `SELECT (extract(epoch FROM least(
              (SELECT min(minute) FROM sli_minutes
                WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)),
              (SELECT min(hour) FROM sli_hours
                WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)))) * 1000)::float8 AS t`,
    sloId,
    regionId,
  );
  const t = rows[0]?.t;
  return t === null || t === undefined ? null : Number(t);
}

// ---------------------------------------------------------------------------------------------------------------------
// Retention: minutes for 8 days, hours for 450 days.

const HOUR_MS = 3600_000;


/**
 * Folds minute rollups and SLI minutes older than the cutoff (hour-aligned, MINUTE_RETENTION_MS ago) into
 * `request_rollups_hourly` and `sli_hours`, deletes the minutes, and drops hours older than HOUR_RETENTION_MS.
 * One transaction: every minute is in exactly one of the two resolutions at any time, so readers that take
 * hours before the last folded hour and minutes after it never count anything twice.
 */
export async function foldOldSliMinutes(
  db: Db,
  nowMs: number,
): Promise<{ cutoffMs: number; sliMinutesFolded: number; hourlyRowsDropped: number }> {
  const cutoffMs = Math.floor((nowMs - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  const hourlyCutoff = new Date(nowMs - HOUR_RETENTION_MS).toISOString();
  const [, sliMinutesFolded, hourlyRowsDropped] = await db.$transaction([
      // A minute recomputed (by a backfill) for an hour already folded is a copy of folded data: DO NOTHING.
      db.$executeRawUnsafe(
        `INSERT INTO sli_hours (slo_id, region_id, hour, good, total)
       SELECT slo_id, region_id, date_trunc('hour', minute, 'UTC'), sum(good), sum(total)
         FROM sli_minutes WHERE minute < $1::timestamptz
        GROUP BY slo_id, region_id, 3
       ON CONFLICT (slo_id, region_id, hour) DO NOTHING`,
        cutoff,
      ),
      db.$executeRawUnsafe(`DELETE FROM sli_minutes WHERE minute < $1::timestamptz`, cutoff),
      db.$executeRawUnsafe(`DELETE FROM sli_hours WHERE hour < $1::timestamptz`, hourlyCutoff),
    ]);
  return { cutoffMs, sliMinutesFolded, hourlyRowsDropped };
}

/**
 * Per-minute good/total of one SLO over [fromMs, toMs) like loadMinuteSeries, with the part that retention
 * folded into `sli_hours` read from there: each hour's counts sit in the hour's first minute (sums over any
 * window that starts on an hour are exact; a window starting inside a folded hour counts that hour if its
 * start is inside the window). Hours are read up to the last folded hour, minutes after it: nothing twice.
 */
export async function loadSliSeries(
  db: Db,
  sloId: string,
  regionId: string | null,
  fromMs: number,
  toMs: number,
): Promise<DenseSeries> {
  const last = await db.$queryRawUnsafe<{ t: number | null }[]>(
    `SELECT (extract(epoch FROM max(hour)) * 1000)::float8 AS t FROM sli_hours WHERE slo_id = $1::uuid`,
    sloId,
  );
  const lastHour = last[0]?.t === null || last[0]?.t === undefined ? null : Number(last[0].t);
  if (lastHour === null || lastHour + HOUR_MS <= fromMs)
    return loadMinuteSeries(db, sloId, regionId, fromMs, toMs);
  const boundary = Math.min(toMs, lastHour + HOUR_MS);
  const series = await loadMinuteSeries(db, sloId, regionId, fromMs, toMs);
  // Minutes before the boundary are not trusted (a copy may exist next to its hour): hours replace them.
  const cut = Math.min(series.good.length, Math.max(0, Math.ceil((boundary - fromMs) / 60_000)));
  series.good.fill(0, 0, cut);
  series.total.fill(0, 0, cut);
  const rows = await db.$queryRawUnsafe<{ t: number; g: number; n: number }[]>(
    `SELECT (extract(epoch FROM hour) * 1000)::float8 AS t, sum(good)::float8 AS g, sum(total)::float8 AS n
       FROM sli_hours
      WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)
        AND hour >= $3::timestamptz AND hour < $4::timestamptz
      GROUP BY hour`,
    sloId,
    regionId,
    new Date(fromMs).toISOString(),
    new Date(boundary).toISOString(),
  );
  for (const r of rows) {
    const i = Math.floor((Number(r.t) - fromMs) / 60_000);
    if (i >= 0 && i < series.good.length) {
      series.good[i] = series.good[i]! + Number(r.g);
      series.total[i] = series.total[i]! + Number(r.n);
    }
  }
  return series;
}

/**
 * Like loadSliSeries, but only [detailFromMs, toMs) minute by minute: everything in [sumFromMs, detailFromMs)
 * is summed in the database into the last minute before detailFromMs. Sums over windows that contain all of
 * [sumFromMs, detailFromMs) or none of it stay exact (the period so far, and every burn-rate window inside the
 * detail range), at a fraction of the rows. Not for timeslices, which need every minute.
 */
export async function loadFoldedSeries(
  db: Db,
  sloId: string,
  regionId: string | null,
  fromMs: number,
  detailFromMs: number,
  toMs: number,
  sumFromMs = fromMs,
): Promise<DenseSeries> {
  const detailFrom = Math.max(fromMs, Math.min(Math.floor(detailFromMs / 60_000) * 60_000, toMs));
  if (detailFrom <= fromMs) return loadSliSeries(db, sloId, regionId, fromMs, toMs);
  const n = Math.max(0, Math.ceil((toMs - fromMs) / 60_000));
  const series: DenseSeries = { startMs: fromMs, good: new Float64Array(n), total: new Float64Array(n) };
  const detail = await loadSliSeries(db, sloId, regionId, detailFrom, toMs);
  const offset = (detailFrom - fromMs) / 60_000;
  series.good.set(detail.good.subarray(0, n - offset), offset);
  series.total.set(detail.total.subarray(0, n - offset), offset);
  const last = await db.$queryRawUnsafe<{ t: number | null }[]>(
    `SELECT (extract(epoch FROM max(hour)) * 1000)::float8 AS t FROM sli_hours WHERE slo_id = $1::uuid`,
    sloId,
  );
  const lastHour = last[0]?.t === null || last[0]?.t === undefined ? null : Number(last[0].t);
  const boundary = lastHour === null ? fromMs : Math.max(fromMs, lastHour + HOUR_MS);
  const [sum] = await db.$queryRawUnsafe<{ g: number | null; n: number | null }[]>(
    `SELECT sum(g)::float8 AS g, sum(n)::float8 AS n FROM (
       SELECT good AS g, total AS n FROM sli_hours
        WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)
          AND hour >= $3::timestamptz AND hour < LEAST($4::timestamptz, $5::timestamptz)
       UNION ALL
       SELECT good, total FROM sli_minutes
        WHERE slo_id = $1::uuid AND ($2::uuid IS NULL OR region_id = $2::uuid)
          AND minute >= GREATEST($3::timestamptz, $5::timestamptz) AND minute < $4::timestamptz
     ) x`,
    sloId,
    regionId,
    new Date(Math.max(fromMs, sumFromMs)).toISOString(),
    new Date(detailFrom).toISOString(),
    new Date(boundary).toISOString(),
  );
  series.good[offset - 1] = Number(sum?.g ?? 0);
  series.total[offset - 1] = Number(sum?.n ?? 0);
  return series;
}
