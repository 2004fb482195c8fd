import { createDb, type Db } from "@burnrate/db";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME, createJobQueues, type JobQueues } from "@burnrate/jobs";
import { startWorker } from "@burnrate/worker/worker";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * Backfills have their own queue, consumed at a bounded rate: a burst of them (a default SLO applied to
 * hundreds of endpoints) never holds up the evaluation tick, and the producer's job ids are one per SLO version.
 */
const SLOS = 300;
const EVERY_MS = 2_000;
const RATE = { max: 5, ms: 1_000 };

describe("a burst of backfills", () => {
  let stack: Stack;
  let wRedis: Redis;
  let wDb: Db;
  let jobs: JobQueues;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    const now = Date.now();
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(
        Array.from({ length: 500 }, (_, i) => ({
          ts: now - 30 * 60_000 + i * 3000,
          service: "cart",
          endpoint: "GET /cart",
          region: "prod-eu",
          status: 200,
          durationMs: 12,
        })),
      ),
    });
    const first = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "Cart",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    expect(first.status).toBe(201);
    await stack.db.$executeRawUnsafe(
      `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", budgeting_method,
                         version, backfill_percent, kind, created_at, updated_at)
       SELECT gen_random_uuid(), service_id, endpoint_id, name || ' #' || g, sli, objective_percent, "window",
              budgeting_method, version, 0, kind, now(), now()
         FROM slos, generate_series(2, $1) AS g WHERE id = $2::uuid`,
      SLOS,
      first.body!.id,
    );
    jobs = createJobQueues({
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: stack.prefix,
    });
  });
  afterAll(async () => {
    await jobs?.queues[BACKFILL_QUEUE_NAME].obliterate({ force: true }).catch(() => undefined);
    await jobs?.close();
    wRedis?.disconnect();
    await wDb?.$disconnect();
    await stack?.stop();
  });

  it(
    "one job per SLO version, rate-limited on its own queue, while every cycle runs",
    { timeout: 90_000 },
    async () => {
      const slos = await stack.db.slo.findMany({ select: { id: true, version: true } });
      // Twice the same request (a retried API call): one job each.
      for (const _round of [1, 2])
        for (const s of slos) await jobs.enqueue("slo.backfill", { sloId: s.id, version: s.version });
      const counts = await jobs.queues[BACKFILL_QUEUE_NAME].getJobCounts("waiting", "delayed", "prioritized");
      expect((counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0)).toBe(slos.length);
      // A new version (the SLI changed) is a new backfill, even though the old one is kept.
      await jobs.enqueue("slo.backfill", { sloId: slos[0]!.id, version: slos[0]!.version + 1 });
      expect(
        await jobs.queues[BACKFILL_QUEUE_NAME].getJob(`backfill-${slos[0]!.id}-v${slos[0]!.version + 1}`),
      ).toBeTruthy();
      expect(await jobs.queues[QUEUE_NAME].getJobCounts("waiting")).toEqual({ waiting: 0 }); // nothing on the main queue

      wRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      wDb = createDb({ databaseUrl: stack.databaseUrl, poolSize: 8 });
      const w = await startWorker({
        config: {
          PUBLIC_URL: stack.baseUrl,
          WORKER_CONCURRENCY: 4,
          BURNRATE_EVAL_EVERY_MS: EVERY_MS,
          BURNRATE_EVAL_SHARD_SIZE: 500,
          BURNRATE_QUEUE_PREFIX: stack.prefix,
          BURNRATE_BACKFILL_CONCURRENCY: 2,
          BURNRATE_BACKFILL_RATE_MAX: RATE.max,
          BURNRATE_BACKFILL_RATE_MS: RATE.ms,
        },
        db: wDb,
        redis: wRedis,
        slack: null,
        log: pino({ level: process.env.TEST_LOG ?? "silent" }),
        now: Date.now,
      });
      let backfilled = 0;
      w.backfillWorker.on("completed", () => backfilled++);
      const t0 = Date.now();
      try {
        await waitFor(
          "6 evaluation cycles",
          async () => {
            const [r] = await stack.db.$queryRawUnsafe<{ n: number }[]>(
              `SELECT count(DISTINCT minute)::int AS n FROM evaluation_runs WHERE slos > 0`,
            );
            return r!.n >= 6;
          },
          60_000,
        );
      } finally {
        await w.close();
      }
      const seconds = (Date.now() - t0) / 1000;
      const runs = await stack.db.$queryRawUnsafe<{ minute: Date; slos: number }[]>(
        `SELECT minute, sum(slos)::int AS slos FROM evaluation_runs GROUP BY minute ORDER BY minute`,
      );
      console.info(
        `${runs.length} cycles in ${seconds.toFixed(1)} s with ${SLOS} backfills queued; ${backfilled} backfills done`,
      );
      // Every cycle evaluated every SLO while backfills were waiting, and cycles followed one another on their
      // schedule. A schedule slot passes without a cycle only when the tick itself is picked up after the next slot
      // began (the scheduler does not replay past slots; the next cycle evaluates up to its own minute): on a loaded
      // machine that can happen once in a run of 2-second cycles, never as a pattern. Backfills holding up the
      // tick would show as gaps in most cycles.
      expect(runs.map((r) => r.slos)).toEqual(runs.map(() => SLOS));
      const gaps = runs.slice(1).map((r, i) => r.minute.getTime() - runs[i]!.minute.getTime());
      for (const gap of gaps) expect(gap % EVERY_MS).toBe(0);
      const missedSlots = gaps.reduce((n, gap) => n + gap / EVERY_MS - 1, 0);
      if (missedSlots > 0) console.info(`cycle gaps (ms): ${gaps.join(", ")}`);
      expect(missedSlots).toBeLessThanOrEqual(1);
      // Backfills ran, at no more than the configured rate (plus the first window's burst).
      expect(backfilled).toBeGreaterThan(0);
      expect(backfilled).toBeLessThanOrEqual(RATE.max * (Math.ceil(seconds / (RATE.ms / 1000)) + 1));
      expect(backfilled).toBeLessThan(SLOS);
    },
  );
});

describe("a backfill queued by an earlier release", () => {
  it("a job whose payload has no SLO version (the form before it named the job) still runs", async () => {
    const stack = await startStack();
    const jobs = createJobQueues({
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: stack.prefix,
    });
    const wRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const wDb = createDb({ databaseUrl: stack.databaseUrl, poolSize: 4 });
    try {
      await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
      await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
      const slo = await call(stack, "POST", "/api/v1/slos", {
        service: "cart",
        name: "Cart",
        sli: { type: "availability" },
        objectivePercent: 99,
      });
      const id = slo.body!.id as string;
      // The API's own backfill is taken off the queue; the old form is added as an earlier release added it.
      await jobs.queues[BACKFILL_QUEUE_NAME].obliterate({ force: true });
      await stack.db.slo.update({ where: { id }, data: { backfillPercent: 0 } });
      await jobs.queues[BACKFILL_QUEUE_NAME].add("slo.backfill", { sloId: id }, { jobId: `backfill-${id}` });
      // A payload that is neither form is refused, not run.
      await jobs.queues[BACKFILL_QUEUE_NAME].add("slo.backfill", { slo: id }, { jobId: "bad", attempts: 1 });
      const w = await startWorker({
        config: {
          PUBLIC_URL: stack.baseUrl,
          WORKER_CONCURRENCY: 2,
          BURNRATE_EVAL_EVERY_MS: 60_000,
          BURNRATE_EVAL_SHARD_SIZE: 500,
          BURNRATE_QUEUE_PREFIX: stack.prefix,
          BURNRATE_BACKFILL_CONCURRENCY: 1,
          BURNRATE_BACKFILL_RATE_MAX: 10,
          BURNRATE_BACKFILL_RATE_MS: 1_000,
        },
        db: wDb,
        redis: wRedis,
        slack: null,
        log: pino({ level: process.env.TEST_LOG ?? "silent" }),
        now: Date.now,
      });
      try {
        const q = jobs.queues[BACKFILL_QUEUE_NAME];
        await waitFor(
          "both jobs finished",
          async () =>
            (await q.getJobState(`backfill-${id}`)) === "completed" &&
            (await q.getJobState("bad")) === "failed",
          30_000,
        );
      } finally {
        await w.close();
      }
      expect((await stack.db.slo.findUniqueOrThrow({ where: { id } })).backfillPercent).toBe(100);
    } finally {
      await jobs.queues[BACKFILL_QUEUE_NAME].obliterate({ force: true }).catch(() => undefined);
      await jobs.close();
      wRedis.disconnect();
      await wDb.$disconnect();
      await stack.stop();
    }
  });
});
