import { LATENCY_BUCKETS } from "@burnrate/contracts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { sqlRows, type Db, type SqlQuery } from "./client";
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from "./retention";

export interface RollupRow {
  serviceId: string;
  endpointId: string;
  regionId: string;
  minuteMs: number;
  status: number;
  count: number;
  latency: Int32Array | number[]; // LATENCY_BUCKETS counts
}

export type RollupTable = "request_rollups" | "request_rollups_hourly";

/** `ARRAY[a[1] + b[1], …]`: element-wise sum of two histograms, without unnest/array_agg per row. */
const sumArrays = (a: string, b: string) =>
  `ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `${a}[${i + 1}] + ${b}[${i + 1}]`).join(", ")}]`;
/** `ARRAY[sum(col[1])::int, …]`: the histogram of a group. */
const sumHistograms = (col: string) =>
  `ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `sum(${col}[${i + 1}])::int`).join(", ")}]`;

// ── partitions ────────────────────────────────────────────────────────────────────────────────────────
// request_rollups is partitioned by UTC day and request_rollups_hourly by UTC month (migration
// 20261130113707_partitioned_rollups); `rollup_partition(table, at)` creates the partition holding `at`.

/** Partitions known to exist, per Db and table: the start (ms) of each day or month. */
const known = new WeakMap<object, Map<RollupTable, Set<number>>>();

function periodStart(table: RollupTable, ms: number): number {
  if (table === "request_rollups") return Math.floor(ms / DAY_MS) * DAY_MS;
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextPeriod(table: RollupTable, start: number): number {
  if (table === "request_rollups") return start + DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * Makes sure the partitions of `table` for every day (request_rollups) or month (request_rollups_hourly) from
 * `fromMs` to `toMs` (inclusive) exist, creating the missing ones. Remembered per process: a partition once
 * seen is not asked for again (a row for a partition retention dropped since would land in the DEFAULT
 * partition, which retention folds too). Anything that writes rollups with its own SQL calls this first.
 */
export async function ensureRollupPartitions(
  db: Db,
  table: RollupTable,
  fromMs: number,
  toMs: number,
): Promise<void> {
  let byTable = known.get(db);
  if (!byTable) known.set(db, (byTable = new Map()));
  let seen = byTable.get(table);
  if (!seen) byTable.set(table, (seen = new Set()));
  const missing: string[] = [];
  const starts: number[] = [];
  for (let p = periodStart(table, fromMs); p <= toMs; p = nextPeriod(table, p))
    if (!seen.has(p)) {
      starts.push(p);
      missing.push(new Date(p).toISOString());
    }
  if (missing.length === 0) return;
  await sqlRows(db, `SELECT rollup_partition($1::text, at)::text AS p FROM unnest($2::timestamptz[]) AS at`, [
    table,
    missing,
  ]);
  for (const p of starts) seen.add(p);
}

/**
 * Days ingest writes into are asked for once per process: the distinct days of `rows`, then only new ones.
 * Call it before a transaction that upserts `rows` (creating a partition inside one would wait on the
 * transaction's own locks).
 */
export async function ensureRollupDays(db: Db, rows: RollupRow[]): Promise<void> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    if (r.minuteMs < lo) lo = r.minuteMs;
    if (r.minuteMs > hi) hi = r.minuteMs;
  }
  if (hi - lo <= 2 * DAY_MS) return ensureRollupPartitions(db, "request_rollups", lo, hi);
  // A batch spread over many days (late data): only the days it has.
  const days = new Set(rows.map((r) => periodStart("request_rollups", r.minuteMs)));
  for (const d of days) await ensureRollupPartitions(db, "request_rollups", d, d);
}

// ── ingest ────────────────────────────────────────────────────────────────────────────────────────────

// Endpoints (with their service) and regions are sent once each, rows refer to them by index (1-based), and
// minutes as epoch minutes: about half the bytes of three uuids and a timestamp per row. Array subscripts keep
// the rows in the order given (no join to reorder them).
const upsertSql = (table: RollupTable) => {
  const time = table === "request_rollups" ? "minute" : "hour";
  return `INSERT INTO ${table} (service_id, endpoint_id, region_id, ${time}, status, count, latency)
     SELECT ($2::uuid[])[u.e], ($1::uuid[])[u.e], ($3::uuid[])[u.r], to_timestamp(u.m::float8 * 60), u.st, u.c,
            u.l::int[]
       FROM unnest($4::int[], $5::int[], $6::int[], $7::int[], $8::int[], $9::text[]) AS u(e, r, m, st, c, l)
     ON CONFLICT (service_id, ${time}, endpoint_id, region_id, status) DO UPDATE
       SET count = ${table}.count + EXCLUDED.count,
           latency = ${sumArrays(`${table}.latency`, "EXCLUDED.latency")}`;
};
const UPSERT_SQL: Record<RollupTable, string> = {
  request_rollups: upsertSql("request_rollups"),
  request_rollups_hourly: upsertSql("request_rollups_hourly"),
};

/**
 * Adds counts into the per-minute rollups; late records update their minute. One statement per call (plus,
 * the first time a day is written by this process, one that makes sure its partition exists). Rows are
 * written in the order given: callers sort them by primary key so that concurrent batches never deadlock.
 * With `query` (a transaction's), the statement runs there and the caller has called ensureRollupDays first.
 * `table` "request_rollups_hourly" adds into the hour rollups instead (a history import's records older than
 * the minute retention): each row's `minuteMs` is then its hour's start, and the caller has made sure of the
 * month partitions.
 */
export async function upsertRollups(
  db: Db,
  rows: RollupRow[],
  query?: SqlQuery,
  table: RollupTable = "request_rollups",
): Promise<void> {
  if (rows.length === 0) return;
  // Array parameters as Postgres array literals, built here with join: uuids and numbers need no quoting, each
  // histogram is one quoted element "{…}" of a text[] (pg would escape every element).
  const n = rows.length;
  const epIdx = new Map<string, number>();
  const eps: string[] = [];
  const svcOfEp: string[] = [];
  const regIdx = new Map<string, number>();
  const regs: string[] = [];
  const e = new Array<number>(n);
  const r = new Array<number>(n);
  const minute = new Array<number>(n);
  const status = new Array<number>(n);
  const count = new Array<number>(n);
  const lat = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (row.latency.length !== LATENCY_BUCKETS)
      throw new Error(`latency histogram must have ${LATENCY_BUCKETS} buckets`);
    let ei = epIdx.get(row.endpointId);
    if (ei === undefined) {
      eps.push(row.endpointId);
      svcOfEp.push(row.serviceId);
      epIdx.set(row.endpointId, (ei = eps.length));
    }
    let ri = regIdx.get(row.regionId);
    if (ri === undefined) {
      regs.push(row.regionId);
      regIdx.set(row.regionId, (ri = regs.length));
    }
    e[i] = ei;
    r[i] = ri;
    minute[i] = Math.floor(row.minuteMs / MINUTE_MS);
    status[i] = row.status;
    count[i] = row.count;
    lat[i] = `"{${Array.prototype.join.call(row.latency, ",")}}"`;
  }
  const arr = (xs: unknown[]) => `{${xs.join(",")}}`;
  if (!query && table === "request_rollups") await ensureRollupDays(db, rows);
  const params = [
    arr(eps),
    arr(svcOfEp),
    arr(regs),
    arr(e),
    arr(r),
    arr(minute),
    arr(status),
    arr(count),
    arr(lat),
  ];
  if (query) await query(UPSERT_SQL[table], params);
  else await sqlRows(db, UPSERT_SQL[table], params);
}

// ── retention ─────────────────────────────────────────────────────────────────────────────────────────

export interface FoldResult {
  cutoffMs: number;
  /** Minute rows folded into hourly rows (and removed: deleted, or with their dropped day partition). */
  rollupMinutesFolded: number;
  /** Hourly rows removed for being older than HOUR_RETENTION_MS (with their month partition). */
  hourlyRowsDropped: number;
  /** Day partitions of request_rollups and month partitions of request_rollups_hourly dropped. */
  partitionsDropped: number;
}

/**
 * Retention of the request rollups, idempotent:
 *  - partitions ahead of time: the next days of minutes, this and next month of hours;
 *  - minutes older than the cutoff (hour-aligned, MINUTE_RETENTION_MS ago) are folded into
 *    `request_rollups_hourly`; day partitions entirely older than the cutoff are then dropped, and of the day
 *    that straddles the cutoff only the folded rows are deleted;
 *  - month partitions of hours entirely older than HOUR_RETENTION_MS are dropped.
 * Fold, deletes and drops are one transaction (every minute is in exactly one of the two resolutions at any
 * time), serialised against another run by an advisory lock. Dropping a partition locks the table briefly;
 * the transaction gives up after 10 s of waiting for that lock and the next run does the work.
 */
export async function foldOldRollups(db: Db, nowMs: number): Promise<FoldResult> {
  const cutoffMs = Math.floor((nowMs - MINUTE_RETENTION_MS) / HOUR_MS) * HOUR_MS;
  const cutoff = new Date(cutoffMs).toISOString();
  const hourlyCutoffMs = nowMs - HOUR_RETENTION_MS;
  // Ahead of time, outside the fold's transaction (creating a partition locks its table's DEFAULT partition).
  await ensureRollupPartitions(db, "request_rollups", nowMs, nowMs + 2 * DAY_MS);
  const [oldest] = await sqlRows<{ t: Date | null }>(
    db,
    `SELECT least((SELECT min(lo) FROM rollup_partitions('request_rollups')),
                  (SELECT min(minute) FROM request_rollups_default)) AS t`,
  );
  const oldestMs = oldest?.t ? new Date(oldest.t).getTime() : cutoffMs;
  await ensureRollupPartitions(
    db,
    "request_rollups_hourly",
    Math.min(oldestMs, cutoffMs),
    nowMs + 31 * DAY_MS,
  );

  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '10s'`);
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('foldOldRollups'))`);
      const parts = await tx.$queryRawUnsafe<{ part: string; lo: Date; hi: Date }[]>(
        `SELECT part, lo, hi FROM rollup_partitions('request_rollups')`,
      );
      const full = parts.filter((p) => p.hi.getTime() <= cutoffMs);
      const straddling = parts.find((p) => p.lo.getTime() < cutoffMs && p.hi.getTime() > cutoffMs);
      // Rows before `split` are in partitions that go whole (or in DEFAULT); rows from `split` to the cutoff are
      // in the straddling day, read and deleted by primary key (service_id, minute, …) per service.
      const split = straddling ? straddling.lo.toISOString() : cutoff;
      const byService = `service_id = ANY (ARRAY(SELECT id FROM services))`;
      const [folded] = await tx.$queryRawUnsafe<{ minutes: number; hours: number }[]>(
        `WITH src AS (
           SELECT service_id, endpoint_id, region_id, minute, status, count, latency
             FROM request_rollups WHERE minute < $1::timestamptz
           UNION ALL
           SELECT service_id, endpoint_id, region_id, minute, status, count, latency
             FROM request_rollups WHERE minute >= $1::timestamptz AND minute < $2::timestamptz AND ${byService}
         ), ins AS (
           INSERT INTO request_rollups_hourly (service_id, hour, endpoint_id, region_id, status, count, latency)
           SELECT service_id, date_trunc('hour', minute, 'UTC'), endpoint_id, region_id, status, sum(count)::int,
                  ${sumHistograms("latency")}
             FROM src GROUP BY 1, 2, 3, 4, 5
           ON CONFLICT (service_id, hour, endpoint_id, region_id, status) DO UPDATE
             SET count = request_rollups_hourly.count + EXCLUDED.count,
                 latency = ${sumArrays("request_rollups_hourly.latency", "EXCLUDED.latency")}
           RETURNING 1
         )
         SELECT (SELECT count(*) FROM src)::int AS minutes, (SELECT count(*) FROM ins)::int AS hours`,
        split,
        cutoff,
      );
      // What was folded goes: the straddling day's folded rows, DEFAULT's, then whole day partitions.
      if (straddling)
        await tx.$executeRawUnsafe(
          `DELETE FROM "${straddling.part}" WHERE minute >= $1::timestamptz AND minute < $2::timestamptz AND ${byService}`,
          split,
          cutoff,
        );
      await tx.$executeRawUnsafe(
        `DELETE FROM request_rollups_default
          WHERE minute < $1::timestamptz OR (minute < $2::timestamptz AND ${byService})`,
        split,
        cutoff,
      );
      for (const p of full) await tx.$executeRawUnsafe(`DROP TABLE "${p.part}"`);

      // Hours: whole months older than the hourly retention, and DEFAULT's old rows.
      const months = await tx.$queryRawUnsafe<{ part: string }[]>(
        `SELECT part FROM rollup_partitions('request_rollups_hourly') WHERE hi <= $1::timestamptz`,
        new Date(hourlyCutoffMs).toISOString(),
      );
      let hourlyRowsDropped = await tx.$executeRawUnsafe(
        `DELETE FROM request_rollups_hourly_default WHERE hour < $1::timestamptz`,
        new Date(hourlyCutoffMs).toISOString(),
      );
      for (const m of months) {
        const [c] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${m.part}"`);
        hourlyRowsDropped += c?.n ?? 0;
        await tx.$executeRawUnsafe(`DROP TABLE "${m.part}"`);
      }
      return {
        cutoffMs,
        rollupMinutesFolded: folded?.minutes ?? 0,
        hourlyRowsDropped,
        partitionsDropped: full.length + months.length,
      };
    },
    { timeout: 30 * MINUTE_MS, maxWait: MINUTE_MS },
  );
}
