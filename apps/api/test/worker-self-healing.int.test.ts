import { createDb, type Db } from "@burnrate/db";
import { createSlackSender } from "@burnrate/slack";
import { scheduleSpecs } from "@burnrate/worker/schedules";
import { startWorker } from "@burnrate/worker/worker";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnRedis, type OwnRedis } from "../../../scripts/chaos/lib";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * The worker on a Redis of the test's own, which the test kills: its schedules come back by themselves when
 * Redis returns empty, it answers /readyz 503 at once while Redis is down, and it alerts the ops channel when
 * evaluation stalls (a stall threshold of a few seconds here, 3 minutes by default).
 */
const EVERY_MS = 2_000;
const STALL_MS = 5_000;
const OPS = "C0OPS";

describe("the worker heals its schedules and watches itself", () => {
  let redis: OwnRedis;
  let stack: Stack;
  let wRedis: Redis;
  let wDb: Db;
  let w: Awaited<ReturnType<typeof startWorker>>;
  const get = async (path: string) => {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${w.port}${path}`, { signal: AbortSignal.timeout(5_000) });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0 };
  };
  /** The latest cycle whose every shard ran, from the database. */
  const lastCycle = async () =>
    (
      await stack.db.$queryRawUnsafe<{ minute: Date; done: Date }[]>(
        `SELECT minute, max(at) AS done FROM evaluation_runs GROUP BY minute
          HAVING count(DISTINCT shard) >= max(shards) ORDER BY minute DESC LIMIT 1`,
      )
    )[0] ?? null;
  const metric = (text: string, name: string) => {
    const m = new RegExp(`^${name} ([0-9.e+-]+)$`, "m").exec(text);
    return m ? Number(m[1]) : null;
  };

  beforeAll(async () => {
    redis = await startOwnRedis();
    stack = await startStack({ redisUrl: redis.url });
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    const now = Date.now();
    const ing = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(
        Array.from({ length: 200 }, (_, i) => ({
          ts: now - 10 * 60_000 + i * 3000,
          service: "cart",
          endpoint: "GET /cart",
          region: "prod-eu",
          status: 200,
          durationMs: 12,
        })),
      ),
    });
    expect(JSON.parse(ing.body).accepted).toBe(200);
    for (const i of [1, 2, 3]) {
      const r = await call(stack, "POST", "/api/v1/slos", {
        service: "cart",
        name: `Cart ${i}`,
        endpoint: "GET /cart",
        sli: { type: "availability" },
        objectivePercent: 99,
      });
      expect(r.status).toBe(201);
    }
    wRedis = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 200 });
    wDb = createDb({ databaseUrl: stack.databaseUrl, poolSize: 6 });
    w = await startWorker({
      config: {
        PUBLIC_URL: stack.baseUrl,
        WORKER_CONCURRENCY: 4,
        BURNRATE_EVAL_EVERY_MS: EVERY_MS,
        BURNRATE_EVAL_SHARD_SIZE: 50,
        BURNRATE_QUEUE_PREFIX: stack.prefix,
        BURNRATE_JOB_LOCK_MS: 2_000,
        BURNRATE_WORKER_PORT: 0,
        BURNRATE_EVAL_STALL_MS: STALL_MS,
        BURNRATE_SCHEDULE_CHECK_MS: 1_000,
        BURNRATE_OPS_SLACK_CHANNEL: OPS,
      },
      db: wDb,
      redis: wRedis,
      slack: createSlackSender({ token: "xoxb-test", apiUrl: stack.slack.url }),
      log: pino({ level: process.env.TEST_LOG ?? "silent" }),
      now: Date.now,
    });
  });
  afterAll(async () => {
    await w?.close();
    wRedis?.disconnect();
    await wDb?.$disconnect();
    await stack?.stop();
    await redis?.stop();
  });

  it("answers /healthz, /readyz and /metrics (evaluation lag, cycle duration, queue depths)", async () => {
    expect((await get("/healthz")).status).toBe(200);
    await waitFor("a completed cycle", lastCycle, 20_000);
    const ready = await waitFor(
      "/readyz 200",
      async () => {
        const r = await get("/readyz");
        return r.status === 200 && r;
      },
      10_000,
    );
    expect(JSON.parse(ready.text)).toMatchObject({ redis: "ok", postgres: "ok", evaluation: "ok" });
    const m = await waitFor(
      "queue depths in /metrics",
      async () => {
        const r = await get("/metrics");
        return r.text.includes('burnrate_queue_jobs{queue="burnrate",state="waiting"}') && r.text;
      },
      15_000,
    );
    const lag = metric(m, "burnrate_evaluation_lag_seconds");
    expect(lag).not.toBeNull();
    expect(lag!).toBeLessThan(STALL_MS / 1000);
    expect(metric(m, "burnrate_evaluation_last_cycle_duration_seconds")).not.toBeNull();
    expect(metric(m, "burnrate_evaluation_stalled")).toBe(0);
    expect(m).toContain('burnrate_queue_jobs{queue="burnrate-backfill",state="waiting"}');
    expect(m).toContain("burnrate_backfill_backlog");
    expect(m).toContain("burnrate_slack_delivery_failures_total");
  });

  it("Redis restarted empty: /readyz 503 within a second while down, then schedules back and the next cycle starts within 2 cycles", async () => {
    await redis.kill();
    const down = [];
    for (let i = 0; i < 3; i++) {
      down.push(await get("/readyz"));
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const r of down) {
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toMatchObject({ redis: "unreachable", postgres: "ok" });
      expect(r.ms).toBeLessThan(1_000);
    }
    expect(down[0]!.text).not.toMatch(/ECONNREFUSED|Error/);
    await redis.start();
    const upMs = Date.now();
    // The Redis is new and empty: no scheduler, no job, until the worker puts them back.
    await waitFor(
      "the job schedulers re-created",
      async () =>
        (await w.queue.getJobSchedulers())
          .map((s) => s.key)
          .sort()
          .join() ===
        scheduleSpecs(EVERY_MS)
          .filter((s) => s.busyWhen === undefined)
          .map((s) => s.id)
          .sort()
          .join(),
      10_000,
    );
    const resumed = await waitFor(
      "a cycle that started after Redis came back",
      async () => {
        const c = await lastCycle();
        return c && c.minute.getTime() >= upMs && c;
      },
      20_000,
      100,
    );
    // Resuming means the next cycle starts on time; how long that cycle then takes depends on the machine's load.
    const cycles = (resumed.minute.getTime() - upMs) / EVERY_MS;
    console.info(
      `evaluation resumed: the cycle of ${resumed.minute.toISOString()} started ${cycles.toFixed(2)} cycles after Redis came back, done ${(resumed.done.getTime() - upMs) / 1000} s after`,
    );
    expect(cycles).toBeLessThanOrEqual(2);
  });

  it("a stalled evaluation reaches the ops channel once, turns /readyz 503 and shows in /metrics; its recovery too", async () => {
    await waitFor("a completed cycle", lastCycle, 20_000);
    const before = stack.slack.topLevel(OPS).length;
    await w.queue.pause(); // nothing is processed: no tick, no cycle
    const t0 = Date.now();
    try {
      const msg = await waitFor(
        "the stall message in the ops channel",
        async () =>
          stack.slack
            .topLevel(OPS)
            .slice(before)
            .find((m) => /has stalled/.test(m.text)),
        STALL_MS + 20_000,
        100,
      );
      console.info(
        `ops channel told ${(Date.now() - t0) / 1000} s after the queue stopped (threshold ${STALL_MS / 1000} s)`,
      );
      expect(msg.text).toMatch(/SLO evaluation has stalled/);
      const r = await get("/readyz");
      expect(r.status).toBe(503);
      expect(JSON.parse(r.text)).toMatchObject({ evaluation: "stalled", redis: "ok", postgres: "ok" });
      const m = (await get("/metrics")).text;
      expect(metric(m, "burnrate_evaluation_lag_seconds")!).toBeGreaterThan(STALL_MS / 1000);
      expect(metric(m, "burnrate_evaluation_stalled")).toBe(1);
      // Once per episode: later watchdog passes post nothing more.
      await new Promise((r) => setTimeout(r, 3_000));
      expect(
        stack.slack
          .topLevel(OPS)
          .slice(before)
          .filter((x) => /has stalled/.test(x.text)),
      ).toHaveLength(1);
    } finally {
      await w.queue.resume();
    }
    await waitFor(
      "the recovery message",
      async () =>
        stack.slack
          .topLevel(OPS)
          .slice(before)
          .find((m) => /has recovered/.test(m.text)),
      20_000,
      100,
    );
    await waitFor("/readyz 200 again", async () => (await get("/readyz")).status === 200, 10_000);
    const texts = stack.slack
      .topLevel(OPS)
      .slice(before)
      .map((m) => m.text);
    expect(texts.filter((t) => /has stalled/.test(t))).toHaveLength(1);
    expect(texts.filter((t) => /has recovered/.test(t))).toHaveLength(1);
  });
});
