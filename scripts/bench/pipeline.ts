/**
 * End-to-end benchmarks of the ingest → rollups → evaluation → status pipeline on real Postgres and Redis
 * (127.0.0.1 only). The API runs as its own process (`node --import tsx apps/api/src/main.ts`) on a fresh,
 * migrated database; evaluation runs in this process through the worker's shard-job factory, exactly as a
 * worker with concurrency 4 runs it.
 */
import { performance } from "node:perf_hooks";
import { createEvaluateShardJob } from "../../apps/worker/src/jobs/evaluate.ts";
import { api, post, type Env } from "./harness.ts";

const MIN = 60_000;
const DAY = 86_400_000;

export { startApi, type Env } from "./harness.ts";

export interface EvalSetup {
  sloIds: string[];
  endpointIds: string[];
  serviceId: string;
  regionId: string;
}

/**
 * `n` availability SLOs, one per endpoint of a bench service, each with data in one region (so n SLO×region),
 * with `historyDays` of per-minute SLI history and 10 minutes of rollups (what the cycle recomputes).
 */
export async function setupSlos(env: Env, n: number, historyDays: number): Promise<EvalSetup> {
  await api(env, "POST", "/api/v1/teams", { slug: "bench", name: "Bench" });
  await api(env, "POST", "/api/v1/services", { slug: "bench", name: "Bench", team: "bench" });
  // Endpoints and the region come from one ingest batch.
  const now = Date.now();
  let body = "";
  for (let i = 0; i < n; i++)
    body +=
      JSON.stringify({
        ts: now - 2 * MIN,
        service: "bench",
        method: "GET",
        route: `/e${i}`,
        region: "prod-bench",
        status: 200,
        durationMs: 10,
      }) + "\n";
  await post(env, body);
  const first = await api(env, "POST", "/api/v1/slos", {
    service: "bench",
    name: "e0",
    endpoint: "GET /e0",
    sli: { type: "availability" },
    objectivePercent: 99.9,
    window: { type: "rolling", days: 28 },
  });
  const db = env.db;
  // The others in SQL (through the API each would queue a 35-day backfill, which is not what is measured).
  await db.$executeRawUnsafe(
    `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", budgeting_method,
                       version, backfill_percent, kind, created_at, updated_at)
     SELECT gen_random_uuid(), s.service_id, e.id, e.route, s.sli, s.objective_percent, s."window",
            s.budgeting_method, s.version, 100, s.kind, now(), now()
       FROM slos s JOIN endpoints e ON e.service_id = s.service_id AND e.id <> s.endpoint_id
      WHERE s.id = $1::uuid`,
    first.id,
  );
  const [ids] = await db.$queryRawUnsafe<{ serviceId: string; regionId: string }[]>(
    `SELECT (SELECT id FROM services WHERE slug = 'bench') AS "serviceId",
            (SELECT id FROM regions WHERE slug = 'prod-bench') AS "regionId"`,
  );
  const { serviceId, regionId } = ids!;
  const slos = await db.$queryRawUnsafe<{ id: string; endpoint_id: string }[]>(
    `SELECT id, endpoint_id FROM slos WHERE service_id = $1::uuid ORDER BY id`,
    serviceId,
  );
  const end = Math.floor(now / MIN) * MIN;
  // History: per-minute good/total (1000 requests a minute, ~0.05% bad), in slices of 100 SLOs.
  for (let i = 0; i < slos.length; i += 100) {
    await db.$executeRawUnsafe(
      `INSERT INTO sli_minutes (slo_id, region_id, minute, good, total)
       SELECT s, $2::uuid, $3::timestamptz - m * interval '1 minute', 1000 - (m % 2), 1000
         FROM unnest($1::uuid[]) AS s, generate_series(1, $4::int) AS m
       ON CONFLICT DO NOTHING`,
      slos.slice(i, i + 100).map((s) => s.id),
      regionId,
      new Date(end).toISOString(),
      historyDays * 1440,
    );
  }
  // Rollups of the last 10 minutes for every endpoint (what a cycle recomputes its minutes from).
  await db.$executeRawUnsafe(
    `INSERT INTO request_rollups (service_id, endpoint_id, region_id, minute, status, count, latency)
     SELECT $1::uuid, e, $2::uuid, $3::timestamptz - m * interval '1 minute', st, c,
            array_fill(0, ARRAY[5]) || ARRAY[c] || array_fill(0, ARRAY[27])
       FROM unnest($4::uuid[]) AS e, generate_series(1, 10) AS m,
            (VALUES (200, 999), (503, 1)) AS v(st, c)
     ON CONFLICT DO NOTHING`,
    serviceId,
    regionId,
    new Date(end).toISOString(),
    slos.map((s) => s.endpoint_id),
  );
  await db.$executeRawUnsafe(`VACUUM ANALYZE sli_minutes`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE request_rollups`);
  return { sloIds: slos.map((s) => s.id), endpointIds: slos.map((s) => s.endpoint_id), serviceId, regionId };
}

const noop = () => undefined;
const silentLog = { info: noop, debug: noop, warn: noop, error: noop, trace: noop, fatal: noop } as never;

/** One evaluation cycle: every shard job (100 SLOs each), 4 at a time, like one worker with concurrency 4. */
export async function runCycle(env: Env, nSlos: number, concurrency = 4): Promise<number> {
  const job = createEvaluateShardJob({
    db: env.db,
    enqueue: async () => undefined, // healthy data: nothing fires; alert dispatch is not part of the cycle
    now: Date.now,
    log: silentLog,
  });
  const shards = Math.max(1, Math.ceil(nSlos / 100));
  const minuteMs = Date.now();
  let next = 0;
  let evaluated = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < shards) {
        const shard = next++;
        const r = await job({ shard, shards, minuteMs, dirty: {} });
        evaluated += r.evaluated;
      }
    }),
  );
  const ms = performance.now() - t0;
  if (evaluated !== nSlos) throw new Error(`cycle evaluated ${evaluated} of ${nSlos} SLOs`);
  return ms;
}

/** Multiplies every count by `k`: the same rows, k times the traffic. */
export async function scaleTraffic(env: Env, k: number): Promise<void> {
  await env.db.$executeRawUnsafe(
    `UPDATE request_rollups SET count = count * $1, latency = (SELECT array_agg(x * $1 ORDER BY i)
       FROM unnest(latency) WITH ORDINALITY AS u(x, i))`,
    k,
  );
  await env.db.$executeRawUnsafe(`UPDATE sli_minutes SET good = good * $1, total = total * $1`, k);
}

/** Replaces the history of `ids` with `days` of minutes (for the 28-day status and per-SLO figures). */
export async function fullHistory(env: Env, setup: EvalSetup, ids: string[], days: number): Promise<void> {
  const end = Math.floor(Date.now() / MIN) * MIN;
  await env.db.$executeRawUnsafe(`DELETE FROM sli_minutes WHERE slo_id = ANY($1::uuid[])`, ids);
  await env.db.$executeRawUnsafe(
    `INSERT INTO sli_minutes (slo_id, region_id, minute, good, total)
     SELECT s, $2::uuid, $3::timestamptz - m * interval '1 minute', 1000 - (m % 2), 1000
       FROM unnest($1::uuid[]) AS s, generate_series(1, $4::int) AS m`,
    ids,
    setup.regionId,
    new Date(end).toISOString(),
    days * 1440,
  );
  await env.db.$executeRawUnsafe(`VACUUM ANALYZE sli_minutes`);
}

/** p50/p95 latency of GET /status over HTTP, `n` sequential requests over the given SLOs. */
export async function benchStatus(env: Env, ids: string[], n = 200): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < n + 10; i++) {
    const t0 = performance.now();
    const res = await fetch(`${env.url}/api/v1/slos/${ids[i % ids.length]}/status`, {
      headers: { authorization: `Bearer ${env.token}` },
    });
    const body = (await res.json()) as { sli?: { total: number } };
    if (!res.ok || !body.sli || body.sli.total <= 0) throw new Error(`status: ${res.status}`);
    if (i >= 10) times.push(performance.now() - t0); // the first 10 warm up
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)]!, p95: times[Math.ceil(n * 0.95) - 1]! };
}

/** Bytes on disk (table + indexes + TOAST) per row of sli_minutes and sli_hours, measured on `rows` rows. */
export async function bytesPerRow(env: Env): Promise<{ minuteRow: number; hourRow: number }> {
  const db = env.db;
  await db.$executeRawUnsafe(`VACUUM ANALYZE sli_minutes`);
  const [m] = await db.$queryRawUnsafe<{ b: number; n: number }[]>(
    `SELECT pg_total_relation_size('sli_minutes')::float8 AS b, (SELECT count(*) FROM sli_minutes)::float8 AS n`,
  );
  // Hours: fold the minutes into a scratch copy of sli_hours' shape by the retention statement's grouping.
  await db.$executeRawUnsafe(
    `INSERT INTO sli_hours (slo_id, region_id, hour, good, total)
     SELECT slo_id, region_id, date_trunc('hour', minute, 'UTC'), sum(good), sum(total)
       FROM sli_minutes GROUP BY 1, 2, 3 ON CONFLICT DO NOTHING`,
  );
  await db.$executeRawUnsafe(`VACUUM ANALYZE sli_hours`);
  const [h] = await db.$queryRawUnsafe<{ b: number; n: number }[]>(
    `SELECT pg_total_relation_size('sli_hours')::float8 AS b, (SELECT count(*) FROM sli_hours)::float8 AS n`,
  );
  await db.$executeRawUnsafe(`TRUNCATE sli_hours`);
  return { minuteRow: m!.b / m!.n, hourRow: h!.b / h!.n };
}

export { DAY };
