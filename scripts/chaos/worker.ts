/**
 * Worker faults, with figures (`pnpm chaos --only=worker`):
 *  - storm: 100 SLOs, 50 firing, then the run's own Redis SIGKILLed and restarted empty, and the other 50 start
 *    failing as it returns: how many cycles until evaluation resumes and until those 50 fire (target <= 2,
 *    without touching the worker), and the API's and the worker's /readyz while Redis is down (503 in < 1 s).
 *  - stall: the evaluation stops (the queue is paused, so no tick and no shard runs while the worker lives): the
 *    time until the ops channel hears of it (target < 4 min with the default 3-minute threshold; --quick uses a
 *    20 s threshold and says so), the lag shown in /metrics, and the recovery message.
 *  - Postgres restart: the run's own embedded PostgreSQL killed (immediate shutdown) and restarted: the worker's
 *    /readyz (503 in under 1 s), cycles until evaluation resumes (<= 2), and the worker process still alive.
 * The worker is a child process (`apps/worker/src/main.ts`) on the run's own redis-server; the API runs in
 * process (startStack) on the same Redis; Postgres is a fresh database of the machine's server, except in the
 * Postgres scenario (a server of the run's own).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { call, ndjson, startStack, type Stack } from "../../apps/api/test/harness.ts";
import {
  freePort,
  quantile,
  sleep,
  startOwnPostgres,
  startOwnRedis,
  type ChaosContext,
  type ChaosRow,
  type ChaosScenario,
} from "./lib";

const WORKER_DIR = path.resolve(import.meta.dirname, "../../apps/worker");
const SLOS = 100;

interface WorkerChild {
  child: ChildProcess;
  port: number;
  output: string[];
  stop(): Promise<void>;
}

async function spawnWorker(
  stack: Stack,
  redisUrl: string,
  env: Record<string, string>,
): Promise<WorkerChild> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: redisUrl,
      BURNRATE_QUEUE_PREFIX: stack.prefix,
      PUBLIC_URL: stack.baseUrl,
      SLACK_BOT_TOKEN: "xoxb-chaos",
      SLACK_API_URL: stack.slack.url,
      LOG_LEVEL: "warn",
      BURNRATE_WORKER_PORT: String(port),
      BURNRATE_WORKER_HOST: "127.0.0.1",
      BURNRATE_JOB_LOCK_MS: "5000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const until = Date.now() + 60_000;
  while (!(await get(`http://127.0.0.1:${port}/healthz`).catch(() => null))) {
    if (child.exitCode !== null) throw new Error(`worker exited: ${output.join("").slice(-2000)}`);
    if (Date.now() > until) throw new Error("worker did not start");
    await sleep(200);
  }
  return {
    child,
    port,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(10_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

async function get(url: string, timeoutMs = 5_000) {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0 };
  } catch {
    return { status: 0, text: "", ms: performance.now() - t0 };
  }
}

/** The last cycle whose every shard ran. */
async function lastCycle(stack: Stack) {
  const [r] = await stack.db.$queryRawUnsafe<{ minute: Date; done: Date }[]>(
    `SELECT minute, max(at) AS done FROM evaluation_runs GROUP BY minute
      HAVING count(DISTINCT shard) >= max(shards) ORDER BY minute DESC LIMIT 1`,
  );
  return r ?? null;
}

async function waitUntil<T>(
  fn: () => Promise<T | null | false | undefined>,
  timeoutMs: number,
  everyMs = 200,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) return null;
    await sleep(everyMs);
  }
}

/** Half errors (`bad`) or none over the last hour of one endpoint. */
async function ingestHour(stack: Stack, endpoint: string, bad: boolean) {
  const now = Date.now();
  for (let part = 0; part < 4; part++) {
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(
        Array.from({ length: 1500 }, (_, i) => ({
          ts: now - 60 * 60_000 + (part * 1500 + i) * 600,
          service: "storm-api",
          endpoint,
          region: "prod-eu",
          status: bad && i % 2 ? 503 : 200,
          durationMs: 30,
        })),
      ),
    });
    if (res.statusCode !== 200) throw new Error(`ingest: ${res.statusCode} ${res.body}`);
  }
}

/**
 * A team with a channel, a service, and SLOS SLOs: half on `GET /cart`, whose last hour is half errors (they
 * fire at once), half on `GET /pay`, healthy until `ingestHour(stack, "GET /pay", true)`.
 */
async function stormData(stack: Stack, channel: string) {
  await call(stack, "POST", "/api/v1/teams", { slug: "storm", name: "Storm", slackChannel: channel });
  await call(stack, "POST", "/api/v1/services", { slug: "storm-api", name: "Storm API", team: "storm" });
  await ingestHour(stack, "GET /cart", true);
  await ingestHour(stack, "GET /pay", false);
  for (const endpoint of ["GET /cart", "GET /pay"]) {
    const first = await call(stack, "POST", "/api/v1/slos", {
      service: "storm-api",
      name: `Storm ${endpoint}`,
      endpoint,
      sli: { type: "availability" },
      objectivePercent: 99.9,
    });
    if (first.status !== 201) throw new Error(`slo: ${first.status} ${JSON.stringify(first.body)}`);
    await stack.db.$executeRawUnsafe(
      `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", budgeting_method,
                         version, backfill_percent, kind, created_at, updated_at)
       SELECT gen_random_uuid(), service_id, endpoint_id, name || ' #' || g, sli, objective_percent, "window",
              budgeting_method, version, 100, kind, now(), now()
         FROM slos, generate_series(2, $1) AS g WHERE id = $2::uuid`,
      SLOS / 2,
      first.body!.id,
    );
  }
}

/** Open alerts of the SLOs on one endpoint. */
async function firingOn(stack: Stack, endpoint: string) {
  const [r] = await stack.db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM alerts a JOIN slos s ON s.id = a.slo_id JOIN endpoints e ON e.id = s.endpoint_id
      WHERE a.state IN ('firing', 'acknowledged') AND e.method || ' ' || e.route = $1`,
    endpoint,
  );
  return r!.n;
}

async function storm(ctx: ChaosContext): Promise<ChaosRow[]> {
  const name = "worker: storm + Redis restart";
  const everyMs = ctx.quick ? 10_000 : 20_000;
  const downMs = ctx.quick ? 5_000 : 20_000;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string, target: string, ok: boolean) =>
    rows.push({ scenario: name, check, value, target, ok });
  const redis = await startOwnRedis();
  const stack = await startStack({ redisUrl: redis.url });
  let worker: WorkerChild | null = null;
  try {
    const channel = "#storm-slo-breaches";
    await stormData(stack, channel);
    ctx.log(`${SLOS} SLOs over an hour of 50% errors; worker cycle ${everyMs / 1000} s`);
    worker = await spawnWorker(stack, redis.url, { BURNRATE_EVAL_EVERY_MS: String(everyMs) });
    const fired = await waitUntil(
      async () => (await firingOn(stack, "GET /cart")) >= SLOS / 2,
      3 * everyMs + 30_000,
    );
    row(
      "GET /cart alerts firing before the fault",
      `${await firingOn(stack, "GET /cart")}`,
      `${SLOS / 2}`,
      fired !== null,
    );
    // Mid-storm: Redis dies (SIGKILL, nothing saved) and comes back empty.
    ctx.log(`killing Redis for ${downMs / 1000} s`);
    await redis.kill();
    const apiReady: { status: number; ms: number }[] = [];
    const workerReady: { status: number; ms: number }[] = [];
    const downUntil = Date.now() + downMs;
    while (Date.now() < downUntil) {
      const [a, w] = await Promise.all([
        get(`${stack.baseUrl}/readyz`),
        get(`http://127.0.0.1:${worker.port}/readyz`),
      ]);
      apiReady.push(a);
      workerReady.push(w);
      await sleep(500);
    }
    for (const [who, xs] of [
      ["API", apiReady],
      ["worker", workerReady],
    ] as const) {
      const ms = xs.map((x) => x.ms).sort((a, b) => a - b);
      const statuses = [...new Set(xs.map((x) => x.status))].join(",");
      row(
        `${who} /readyz while Redis is down (${xs.length} calls)`,
        `status ${statuses}; p50 ${quantile(ms, 0.5).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms`,
        "503 in < 1 s",
        xs.every((x) => x.status === 503) && ms.at(-1)! < 1_000,
      );
    }
    await redis.start();
    const upMs = Date.now();
    ctx.log("Redis is back (empty); GET /pay starts failing");
    // The second half of the storm starts as Redis returns: these alerts fire only if evaluation resumed.
    const storm2 = ingestHour(stack, "GET /pay", true);
    const resumed = await waitUntil(
      async () => {
        const c = await lastCycle(stack);
        return c && c.minute.getTime() >= upMs && c;
      },
      4 * everyMs + 30_000,
    );
    const cycles = resumed ? (resumed.done.getTime() - upMs) / everyMs : Infinity;
    row(
      "cycles from Redis back to a completed evaluation cycle",
      resumed
        ? `${cycles.toFixed(2)} (${((resumed.done.getTime() - upMs) / 1000).toFixed(1)} s, cycle ${everyMs / 1000} s)`
        : "none within 4 cycles",
      "<= 2, worker untouched",
      cycles <= 2,
    );
    await storm2;
    const paid = await waitUntil(
      async () => (await firingOn(stack, "GET /pay")) >= SLOS / 2 && Date.now(),
      4 * everyMs + 30_000,
    );
    const payCycles = paid ? (paid - upMs) / everyMs : Infinity;
    row(
      `GET /pay alerts (bad traffic from the moment Redis is back) firing`,
      paid
        ? `${SLOS / 2} of ${SLOS / 2} after ${payCycles.toFixed(2)} cycles (${((paid - upMs) / 1000).toFixed(1)} s)`
        : `${await firingOn(stack, "GET /pay")} of ${SLOS / 2} within 4 cycles`,
      "all, <= 2 cycles",
      payCycles <= 2,
    );
    const schedulers = (await stack.queue.getJobSchedulers()).map((s) => s.key).sort();
    row(
      "job schedulers after the restart",
      schedulers.join(", ") || "none",
      "all 4 re-created",
      schedulers.length === 4,
    );
    const after = await waitUntil(
      async () =>
        ((await worker!.port) && (await get(`http://127.0.0.1:${worker!.port}/readyz`)).status === 200) ||
        null,
      30_000,
    );
    row("worker /readyz after Redis is back", after ? "200" : "not 200 within 30 s", "200", after !== null);
    await waitUntil(async () => stack.slack.topLevel(channel).length >= SLOS, 60_000);
    const posted = stack.slack.topLevel(channel).length;
    row("alerts posted to Slack (top-level)", `${posted} of ${SLOS}`, `${SLOS}`, posted === SLOS);
    const out = worker.output.join("");
    const stacks = (out.match(/Unhandled error event/g) ?? []).length;
    const outageLines = (out.match(/redis unreachable/g) ?? []).length;
    row(
      "worker log during the outage",
      `${outageLines} 'redis unreachable' line(s), ${stacks} ioredis unhandled-error stack(s)`,
      "1 line, 0 stacks",
      outageLines === 1 && stacks === 0,
    );
    row(
      "worker process",
      worker.child.exitCode === null ? "alive, never restarted" : `exited ${worker.child.exitCode}`,
      "alive",
      worker.child.exitCode === null,
    );
  } finally {
    await worker?.stop();
    await stack.stop().catch(() => undefined);
    await redis.stop();
  }
  return rows;
}

async function stall(ctx: ChaosContext): Promise<ChaosRow[]> {
  const name = "worker: evaluation stall";
  const everyMs = 5_000;
  const stallMs = ctx.quick ? 20_000 : 180_000;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string, target: string, ok: boolean) =>
    rows.push({ scenario: name, check, value, target, ok });
  const redis = await startOwnRedis();
  const stack = await startStack({ redisUrl: redis.url });
  const ops = "#burnrate-ops";
  let worker: WorkerChild | null = null;
  const q = stack.queue;
  try {
    await stormData(stack, "#storm-slo-breaches");
    worker = await spawnWorker(stack, redis.url, {
      BURNRATE_EVAL_EVERY_MS: String(everyMs),
      BURNRATE_EVAL_STALL_MS: String(stallMs),
      BURNRATE_OPS_SLACK_CHANNEL: ops,
    });
    await waitUntil(() => lastCycle(stack), 60_000);
    ctx.log(
      `evaluating; pausing the queue (stall threshold ${stallMs / 1000} s${ctx.quick ? ", quick mode" : ", the default"})`,
    );
    await q.pause();
    const t0 = Date.now();
    const msg = await waitUntil(
      async () => stack.slack.topLevel(ops).find((m) => /has stalled/.test(m.text)),
      stallMs + 90_000,
      250,
    );
    const toMsg = msg ? Date.now() - t0 : Infinity;
    row(
      `time from the stall to the ops-channel message (threshold ${stallMs / 1000} s${ctx.quick ? ", quick mode; default 180 s" : ""})`,
      msg ? `${(toMsg / 1000).toFixed(1)} s` : "no message",
      "< 4 min",
      toMsg < 240_000,
    );
    const metrics = (await get(`http://127.0.0.1:${worker.port}/metrics`)).text;
    const lag = Number(/^burnrate_evaluation_lag_seconds ([0-9.e+-]+)$/m.exec(metrics)?.[1] ?? NaN);
    row(
      "burnrate_evaluation_lag_seconds in /metrics at the message",
      `${lag.toFixed(1)} s`,
      `>= ${stallMs / 1000} s`,
      lag >= stallMs / 1000,
    );
    const ready = await get(`http://127.0.0.1:${worker.port}/readyz`);
    row(
      "worker /readyz while stalled",
      `${ready.status} ${ready.text}`,
      "503, evaluation: stalled",
      ready.status === 503 && /stalled/.test(ready.text),
    );
    await sleep(Math.min(10_000, stallMs / 2));
    const stallMsgs = stack.slack.topLevel(ops).filter((m) => /has stalled/.test(m.text)).length;
    row("stall messages for the episode", String(stallMsgs), "1", stallMsgs === 1);
    await q.resume();
    const t1 = Date.now();
    const rec = await waitUntil(
      async () => stack.slack.topLevel(ops).find((m) => /has recovered/.test(m.text)),
      60_000,
      250,
    );
    row(
      "recovery message after the queue resumed",
      rec ? `${((Date.now() - t1) / 1000).toFixed(1)} s` : "none",
      "within 2 cycles + 10 s",
      rec !== null && Date.now() - t1 < 2 * everyMs + 10_000,
    );
  } finally {
    await worker?.stop();
    await stack.stop().catch(() => undefined);
    await redis.stop();
  }
  return rows;
}

async function postgresRestart(ctx: ChaosContext): Promise<ChaosRow[]> {
  const name = "worker: Postgres restart";
  const everyMs = 10_000;
  const downMs = ctx.quick ? 5_000 : 20_000;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string, target: string, ok: boolean) =>
    rows.push({ scenario: name, check, value, target, ok });
  const redis = await startOwnRedis();
  const pg = await startOwnPostgres();
  const stack = await startStack({ redisUrl: redis.url, pgBaseUrl: pg.url });
  let worker: WorkerChild | null = null;
  try {
    await stormData(stack, "#storm-slo-breaches");
    worker = await spawnWorker(stack, redis.url, { BURNRATE_EVAL_EVERY_MS: String(everyMs) });
    await waitUntil(() => lastCycle(stack), 60_000);
    ctx.log(`evaluating; killing Postgres (immediate shutdown) for ${downMs / 1000} s`);
    await pg.kill();
    const ready: { status: number; ms: number; text: string }[] = [];
    const downUntil = Date.now() + downMs;
    while (Date.now() < downUntil) {
      ready.push(await get(`http://127.0.0.1:${worker.port}/readyz`));
      await sleep(500);
    }
    const ms = ready.map((x) => x.ms).sort((a, b) => a - b);
    row(
      `worker /readyz while Postgres is down (${ready.length} calls)`,
      `status ${[...new Set(ready.map((x) => x.status))].join(",")}; p50 ${quantile(ms, 0.5).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms`,
      "503 in < 1 s",
      ready.every((x) => x.status === 503 && /"postgres":"unreachable"/.test(x.text)) && ms.at(-1)! < 1_000,
    );
    await pg.start();
    const upMs = Date.now();
    const resumed = await waitUntil(
      async () => {
        const c = await lastCycle(stack).catch(() => null);
        return c && c.minute.getTime() >= upMs && c;
      },
      4 * everyMs + 30_000,
    );
    const cycles = resumed ? (resumed.done.getTime() - upMs) / everyMs : Infinity;
    row(
      "cycles from Postgres back to a completed evaluation cycle",
      resumed
        ? `${cycles.toFixed(2)} (${((resumed.done.getTime() - upMs) / 1000).toFixed(1)} s, cycle ${everyMs / 1000} s)`
        : "none within 4 cycles",
      "<= 2, worker untouched",
      cycles <= 2,
    );
    const out = worker.output.join("");
    const unhandled = (out.match(/Unhandled|uncaught/gi) ?? []).length;
    row(
      "worker process",
      worker.child.exitCode === null
        ? `alive, ${unhandled} unhandled errors logged`
        : `exited ${worker.child.exitCode}`,
      "alive, 0 unhandled",
      worker.child.exitCode === null && unhandled === 0,
    );
  } finally {
    await worker?.stop();
    await stack.stop().catch(() => undefined);
    await pg.stop();
    await redis.stop();
  }
  return rows;
}

export const scenarios: ChaosScenario[] = [
  { name: "worker: storm + Redis restart", run: storm },
  { name: "worker: evaluation stall", run: stall },
  { name: "worker: Postgres restart", run: postgresRestart },
];
