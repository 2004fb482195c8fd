/**
 * Evaluation benchmark data and measurements, on a fresh database (scripts/bench/harness.ts):
 *
 *  - a realistic layout: services of 10 endpoints in 2 regions, an availability and a latency SLO per endpoint
 *    (40 SLO × region per service), every SLO × region with 28 days of SLI history as the store holds it after
 *    retention (the last 8 days with their minutes, the 20 days before at hour resolution, running totals);
 *  - the last 11 minutes of request rollups per endpoint × region × status (what a cycle recomputes from),
 *    with 1 request in 1,000 failing, and every 50th service failing 20% in one region (those SLOs fire);
 *  - a cycle = every shard job of the worker's `createEvaluateShardJob`, `concurrency` at a time.
 *
 * History rows are generated in SQL (10,000 SLO × region × 672 hours is 6.7M rows: through the API or the
 * ingest path it would take hours); they are exactly the rows the store writes (see packages/db/src/sli-store/).
 */
import { LATENCY_BUCKETS, latencyBucket } from "../../packages/contracts/src/index.ts";
import { minuteDetailFromMs, upsertRollups, type RollupRow } from "../../packages/db/src/index.ts";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import { createEvaluateShardJob } from "../../apps/worker/src/jobs/evaluate/index.ts";
import type { Env } from "./harness.ts";

/** Requests per minute per SLO × region in the history, and bad ones per hour (0.05%). */
const PER_MINUTE = 1000;
const BAD_PER_HOUR = 30;
export const ENDPOINTS_PER_SERVICE = 10;
export const REGIONS = ["bench-eu", "bench-us"];
/** SLO × region per service: 2 SLOs per endpoint, in 2 regions. */
export const PAIRS_PER_SERVICE = ENDPOINTS_PER_SERVICE * 2 * REGIONS.length;

export interface EvalData {
  pairs: number;
  slos: number;
  services: number;
  sloIds: string[];
  historyRows: number;
  seedSeconds: number;
}

/**
 * Services, endpoints, regions and SLOs for `pairs` SLO × region (a multiple of PAIRS_PER_SERVICE), with history;
 * `scale` times the traffic (the same rows, `scale` times the counts).
 */
export async function seedEvaluation(
  env: Env,
  pairs: number,
  opts: {
    historyDays?: number;
    nowMs?: number;
    scale?: number;
    /** Write the history hour by hour (see seedHistoryByHour); `log` gets its progress. */
    byHour?: boolean;
    log?: (s: string) => void;
  } = {},
): Promise<EvalData> {
  const { historyDays = 28, nowMs = Date.now(), scale = 1 } = opts;
  const t0 = performance.now();
  const db = env.db;
  const services = Math.ceil(pairs / PAIRS_PER_SERVICE);
  const tag = `e${pairs}`;
  await db.$executeRawUnsafe(
    `INSERT INTO teams (id, slug, name, updated_at) VALUES (gen_random_uuid(), $1, $1, now()) ON CONFLICT DO NOTHING`,
    `bench-${tag}`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO regions (id, slug, name) SELECT gen_random_uuid(), r, r FROM unnest($1::text[]) r ON CONFLICT DO NOTHING`,
    REGIONS,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO services (id, slug, name, team_id, failure_statuses, last_seen_at, updated_at)
     SELECT gen_random_uuid(), $1 || '-svc-' || i, 'Service ' || i, t.id,
            (SELECT array_agg(x) FROM generate_series(500, 599) x), now(), now()
       FROM generate_series(0, $2::int - 1) i, teams t WHERE t.slug = $3`,
    tag,
    services,
    `bench-${tag}`,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO endpoints (id, service_id, method, route)
     SELECT gen_random_uuid(), s.id, 'GET', '/items/' || j FROM services s, generate_series(0, $2::int - 1) j
      WHERE s.slug LIKE $1 || '-svc-%'`,
    tag,
    ENDPOINTS_PER_SERVICE,
  );
  await db.$executeRawUnsafe(
    `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", backfill_percent, updated_at)
     SELECT gen_random_uuid(), e.service_id, e.id, k.name || ' of GET ' || e.route, k.sli::jsonb, 99.9,
            '{"type":"rolling","days":28}'::jsonb, 100, now()
       FROM endpoints e JOIN services s ON s.id = e.service_id,
            (VALUES ('Availability', '{"type":"availability"}'),
                    ('Latency', '{"type":"latency","thresholdMs":300}')) AS k(name, sli)
      WHERE s.slug LIKE $1 || '-svc-%'`,
    tag,
  );
  const sloIds = (
    await db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT o.id::text FROM slos o JOIN services s ON s.id = o.service_id WHERE s.slug LIKE $1 || '-svc-%' ORDER BY o.id`,
      tag,
    )
  ).map((r) => r.id);

  // History: full hours from `start` to the last full hour; minutes kept from the retention cutoff on.
  const lastHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const start = lastHour - historyDays * DAY_MS;
  const detailFrom = minuteDetailFromMs(nowMs);
  const perHour = 60 * PER_MINUTE;
  let historyRows = 0;
  const historyArgs = {
    start,
    detailFrom,
    perHour,
    hours: historyDays * 24,
    scale,
  };
  if (opts.byHour) historyRows = await seedHistoryByHour(env, sloIds, historyArgs, opts.log);
  for (let i = 0; !opts.byHour && i < sloIds.length; i += 250) {
    historyRows += await db.$executeRawUnsafe(
      `INSERT INTO sli_hours (slo_id, region_id, hour, good, total, cum_good, cum_total, minute_good, minute_total)
       SELECT o, r.id, $2::timestamptz + k * interval '1 hour', $9 * ($4::bigint - $5), $9 * $4::bigint,
              k * $9 * ($4::bigint - $5), k * $9 * $4::bigint,
              CASE WHEN $2::timestamptz + k * interval '1 hour' >= $3::timestamptz
                   THEN array_fill($9 * ($6::int - 1), ARRAY[$5::int]) || array_fill($9 * $6::int, ARRAY[60 - $5::int])
              END,
              CASE WHEN $2::timestamptz + k * interval '1 hour' >= $3::timestamptz
                   THEN array_fill($9 * $6::int, ARRAY[60]) END
         FROM unnest($1::uuid[]) o, regions r, generate_series(0, $7::int - 1) k
        WHERE r.slug = ANY($8::text[])`,
      sloIds.slice(i, i + 250),
      new Date(start).toISOString(),
      new Date(detailFrom).toISOString(),
      perHour,
      BAD_PER_HOUR,
      PER_MINUTE,
      historyDays * 24,
      REGIONS,
      scale,
    );
  }
  await db.$executeRawUnsafe(
    `INSERT INTO slo_regions (slo_id, region_id, first_at, last_at)
     SELECT o, r.id, $2::timestamptz, $3::timestamptz FROM unnest($1::uuid[]) o, regions r WHERE r.slug = ANY($4::text[])`,
    sloIds,
    new Date(start).toISOString(),
    new Date(lastHour - MINUTE_MS).toISOString(),
    REGIONS,
  );
  opts.log?.(`history: ${historyRows.toLocaleString("en-US")} SLI hours; recent rollups…`);
  await writeRecentRollups(env, tag, nowMs, scale);
  opts.log?.("VACUUM ANALYZE…");
  await db.$executeRawUnsafe(`VACUUM ANALYZE sli_hours`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE slo_regions`);
  await db.$executeRawUnsafe(`ANALYZE request_rollups`);
  return {
    pairs: sloIds.length * REGIONS.length,
    slos: sloIds.length,
    services,
    sloIds,
    historyRows,
    seedSeconds: (performance.now() - t0) / 1000,
  };
}

/** The history SQL of seedEvaluation: every SLO × region at hours `k0` … `k1 - 1` after `start`. */
const HISTORY_SQL = `
  INSERT INTO sli_hours (slo_id, region_id, hour, good, total, cum_good, cum_total, minute_good, minute_total)
  SELECT o, r.id, $2::timestamptz + k * interval '1 hour', $9 * ($4::bigint - $5), $9 * $4::bigint,
         k * $9 * ($4::bigint - $5), k * $9 * $4::bigint,
         CASE WHEN $2::timestamptz + k * interval '1 hour' >= $3::timestamptz
              THEN array_fill($9 * ($6::int - 1), ARRAY[$5::int]) || array_fill($9 * $6::int, ARRAY[60 - $5::int])
         END,
         CASE WHEN $2::timestamptz + k * interval '1 hour' >= $3::timestamptz
              THEN array_fill($9 * $6::int, ARRAY[60]) END
    FROM generate_series($7::int, $10::int - 1) k, unnest($1::uuid[]) o, regions r
   WHERE r.slug = ANY($8::text[])`;

/**
 * The history of many SLOs (100,000 SLO × region: 67M hours), laid out as the store lays it out: the store
 * writes each hour's row of every SLO × region when that hour begins (the cycle's recompute), so the rows of one
 * hour sit together on disk, and later cycles update them in place (HOT). Inserted one hour of every SLO ×
 * region per statement, 2 statements at a time; the primary key and the BRIN index of the migration are dropped
 * first and built again after (one sorted build instead of 67M random index inserts: the index is then packed,
 * as after a REINDEX). The rows and the indexes are the store's own; only their order of creation differs.
 */
async function seedHistoryByHour(
  env: Env,
  sloIds: string[],
  a: { start: number; detailFrom: number; perHour: number; hours: number; scale: number },
  log?: (s: string) => void,
): Promise<number> {
  const db = env.db;
  await db.$executeRawUnsafe(`ALTER TABLE sli_hours DROP CONSTRAINT sli_hours_pkey`);
  await db.$executeRawUnsafe(`DROP INDEX sli_hours_hour_idx`);
  let rows = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    [0, 1].map(async () => {
      while (next < a.hours) {
        const k = next++;
        // Not `rows += await …`: that reads `rows` before the await, and the two statements' sums race.
        const n = await db.$executeRawUnsafe(
          HISTORY_SQL,
          sloIds,
          new Date(a.start).toISOString(),
          new Date(a.detailFrom).toISOString(),
          a.perHour,
          BAD_PER_HOUR,
          PER_MINUTE,
          k,
          REGIONS,
          a.scale,
          k + 1,
        );
        rows += n;
        if (k % 48 === 47)
          log?.(`history: ${k + 1} of ${a.hours} hours in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      }
    }),
  );
  log?.("history: building the primary key and the BRIN index…");
  // As a deployment's maintenance settings would be for an index build of this size.
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL maintenance_work_mem = '1GB'`);
      await tx.$executeRawUnsafe(
        `ALTER TABLE sli_hours ADD CONSTRAINT sli_hours_pkey PRIMARY KEY (slo_id, region_id, hour)`,
      );
      await tx.$executeRawUnsafe(`CREATE INDEX sli_hours_hour_idx ON sli_hours USING BRIN (hour)`);
    },
    { timeout: 60 * MINUTE_MS, maxWait: MINUTE_MS },
  );
  log?.(`history: indexes built, ${((performance.now() - t0) / 1000).toFixed(0)} s in all`);
  return rows;
}

/**
 * Rollups of the last `minutes` minutes (the current one included) per endpoint × region × status of the tagged
 * services, `k` times the base traffic: 999 good (within 300 ms) and 1 failed (over) per 1,000, except every
 * 50th service, whose first region fails 20%. Added to what the minutes hold (as ingest adds).
 */
export async function writeRecentRollups(
  env: Env,
  tag: string,
  nowMs: number,
  k: number,
  minutes = 11,
): Promise<void> {
  const eps = await env.db.$queryRawUnsafe<{ s: string; e: string; i: number }[]>(
    `SELECT s.id::text AS s, e.id::text AS e, split_part(s.slug, '-svc-', 2)::int AS i
       FROM endpoints e JOIN services s ON s.id = e.service_id WHERE s.slug LIKE $1 || '-svc-%'`,
    tag,
  );
  const regions = await env.db.region.findMany({
    where: { slug: { in: REGIONS } },
    orderBy: { slug: "asc" },
  });
  const rows: RollupRow[] = [];
  const now = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  for (const ep of eps)
    for (const [ri, region] of regions.entries())
      for (let m = 0; m < minutes; m++) {
        const burning = ep.i % 50 === 0 && ri === 0;
        const bad = (burning ? 200 : 1) * k;
        const good = PER_MINUTE * k - bad;
        for (const [status, count, b] of [
          [200, good, latencyBucket(120)],
          [503, bad, latencyBucket(900)],
        ] as const) {
          const latency = new Int32Array(LATENCY_BUCKETS);
          latency[b] = count;
          rows.push({
            serviceId: ep.s,
            endpointId: ep.e,
            regionId: region.id,
            minuteMs: now - m * MINUTE_MS,
            status,
            count,
            latency,
          });
        }
      }
  rows.sort((a, b) =>
    a.serviceId < b.serviceId ? -1 : a.serviceId > b.serviceId ? 1 : a.minuteMs - b.minuteMs,
  );
  for (let i = 0; i < rows.length; i += 20_000) await upsertRollups(env.db, rows.slice(i, i + 20_000));
}

const noop = () => undefined;
const silentLog = { info: noop, debug: noop, warn: noop, error: noop, trace: noop, fatal: noop } as never;

/**
 * One evaluation cycle over every SLO: the shard jobs of one cycle (shards of `shardSize` SLOs), `concurrency`
 * at a time, like one worker process. Returns the wall time and what was evaluated.
 */
export async function runEvalCycle(
  env: Env,
  opts: { slos: number; shardSize: number; concurrency: number; dirty?: Record<string, number> },
): Promise<{
  ms: number;
  evaluated: number;
  shards: number;
  dispatches: number;
  phases: Record<string, number>;
}> {
  let dispatches = 0;
  const job = createEvaluateShardJob({
    db: env.db,
    enqueue: async () => void dispatches++, // alert dispatch is another job: counted, not sent
    now: Date.now,
    log: silentLog,
  });
  const shards = Math.max(1, Math.ceil(opts.slos / opts.shardSize));
  const minuteMs = Date.now();
  let next = 0;
  let evaluated = 0;
  // Time in each step, summed over the shards (the job reports the time since its start at each step's end).
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < shards) {
        const shard = next++;
        const r = await job({ shard, shards, minuteMs, dirty: opts.dirty ?? {} });
        evaluated += r.evaluated;
        let prev = 0;
        for (const [k, v] of Object.entries(r.phases)) {
          phases[k] = (phases[k] ?? 0) + v - prev;
          prev = v;
        }
      }
    }),
  );
  const ms = performance.now() - t0;
  if (evaluated !== opts.slos) throw new Error(`cycle evaluated ${evaluated} of ${opts.slos} SLOs`);
  return { ms, evaluated, shards, dispatches, phases };
}

/**
 * Bytes on disk of the SLI store (sli_hours + slo_regions: tables, indexes, TOAST) per SLO × region, split
 * between hours that keep their minutes and hours at hour resolution by their measured row sizes.
 */
export async function sliBytes(
  env: Env,
): Promise<{ perMinuteDay: number; perHourDay: number; perPairTotal: number }> {
  const [r] = await env.db.$queryRawUnsafe<
    { total: number; pairs: number; mrows: number; hrows: number; msize: number; hsize: number }[]
  >(
    `SELECT (pg_total_relation_size('sli_hours') + pg_total_relation_size('slo_regions'))::float8 AS total,
            (SELECT count(*) FROM slo_regions)::float8 AS pairs,
            count(*) FILTER (WHERE minute_total IS NOT NULL)::float8 AS mrows,
            count(*) FILTER (WHERE minute_total IS NULL)::float8 AS hrows,
            coalesce(avg(pg_column_size(h.*)) FILTER (WHERE minute_total IS NOT NULL), 0)::float8 AS msize,
            coalesce(avg(pg_column_size(h.*)) FILTER (WHERE minute_total IS NULL), 0)::float8 AS hsize
       FROM sli_hours h`,
  );
  const x = r!;
  // Everything beyond the rows' own bytes (page and tuple headers, indexes) is shared out per row.
  const overhead = (x.total - x.mrows * x.msize - x.hrows * x.hsize) / (x.mrows + x.hrows);
  return {
    perMinuteDay: 24 * (x.msize + overhead),
    perHourDay: 24 * (x.hsize + overhead),
    perPairTotal: x.total / x.pairs,
  };
}

/** p50/p95 latency of GET /status over HTTP, `n` sequential requests (after 10 warm-up) over `ids`. */
export async function statusLatency(env: Env, ids: string[], n = 200): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const t0 = performance.now();
    const res = await fetch(`${env.url}/api/v1/slos/${ids[(i * 7919) % ids.length]}/status`, {
      headers: { authorization: `Bearer ${env.token}` },
    });
    const body = (await res.json()) as { sli?: { total: number } };
    if (!res.ok || !body.sli || body.sli.total <= 0) throw new Error(`status: ${res.status}`);
    if (i >= 10) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)]!, p95: times[Math.ceil(n * 0.95) - 1]! };
}
