import { QUEUE_NAME } from "@burnrate/jobs";
import { createDb } from "@burnrate/db";
import { startWorker } from "@burnrate/worker/worker";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * two worker processes' worth of workers (two startWorker() instances, each with its own
 * Postgres pool and Redis connections, on one queue prefix and one database) evaluate 1,000 SLOs with no
 * double and no missed evaluation, counted. The cycle is shortened to CYCLE_MS so that the test sees many
 * cycles in RUN_MS (the production cycle is 60 s; the code path is the same). On top of the normal schedule
 * the test re-enqueues already-finished shard jobs under new job ids, as a stalled job taken over by the
 * other worker would be: the per-cycle claim must make those evaluate nothing.
 */
const SLOS = 1000;
// A cycle of 1,000 SLOs takes about a second on a quiet machine (set-based per shard, see docs/benchmarks.md), but
// up to 6 s beside the rest of the suite on 2 cores; a tick that cannot start within its cycle (every consumer
// busy with the last cycle's shards) takes the next one, and that cycle is then not a cycle of its own. 10 s cycles
// give six in the default 1-minute run with room for that; EVAL_TEST_RUN_MS=300000 runs a full 5 minutes, and
// EVAL_TEST_CYCLE_MS=60000 uses the production cycle.
const CYCLE_MS = Number(process.env.EVAL_TEST_CYCLE_MS ?? 10_000);
const RUN_MS = Number(process.env.EVAL_TEST_RUN_MS ?? 60_000);

describe("two workers share evaluation, every SLO once per cycle", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  it(
    `evaluates ${SLOS} SLOs for ${RUN_MS / 1000} s in ${CYCLE_MS / 1000} s cycles`,
    { timeout: RUN_MS + 90_000 },
    async () => {
      const first = await call(stack, "POST", "/api/v1/slos", {
        service: "cart",
        name: "Cart availability",
        endpoint: "GET /cart",
        sli: { type: "availability" },
        objectivePercent: 99.9,
        window: { type: "rolling", days: 28 },
      });
      expect(first.status).toBe(201);
      // Data, so that evaluation does real work (recompute, load, decide) for every SLO.
      const now = Date.now();
      const recs = Array.from({ length: 2000 }, (_, i) => ({
        ts: now - 20 * 60_000 + i * 600,
        service: "cart",
        endpoint: "GET /cart",
        region: i % 2 ? "prod-eu" : "prod-us",
        status: i % 1000 ? 200 : 500, // 0.1% errors: a healthy SLO, no alerts
        durationMs: 20,
      }));
      const ing = await stack.app.inject({
        method: "POST",
        url: "/api/v1/ingest/requests",
        headers: { authorization: `Bearer ${stack.token}` },
        payload: ndjson(recs),
      });
      expect(JSON.parse(ing.body).accepted).toBe(2000);
      // The other 999 SLOs are copies of the first, made in SQL (creating them through the API would queue
      // 999 backfills, which is not what this test measures).
      await stack.db.$executeRawUnsafe(
        `INSERT INTO slos (id, service_id, endpoint_id, name, sli, objective_percent, "window", budgeting_method,
                         version, backfill_percent, kind, created_at, updated_at)
       SELECT gen_random_uuid(), service_id, endpoint_id, name || ' #' || g, sli, objective_percent, "window",
              budgeting_method, version, 100, kind, now(), now()
         FROM slos, generate_series(2, $1) AS g WHERE id = $2::uuid`,
        SLOS,
        first.body!.id,
      );
      await stack.db.$executeRawUnsafe(`UPDATE slos SET evaluations = 0, last_evaluated_cycle = NULL`);
      expect(await stack.db.slo.count()).toBe(SLOS);

      const prefix = `tw${Math.random().toString(16).slice(2, 10)}`;
      const workers = await Promise.all(
        [1, 2].map(async (n) => {
          const db = createDb({ databaseUrl: stack.databaseUrl, poolSize: 6 });
          const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
          const w = await startWorker({
            config: {
              PUBLIC_URL: stack.baseUrl,
              WORKER_CONCURRENCY: 4,
              BURNRATE_EVAL_EVERY_MS: CYCLE_MS,
              BURNRATE_EVAL_SHARD_SIZE: 50,
              BURNRATE_QUEUE_PREFIX: prefix,
              // The test removes the schedulers to drain the queue at the end: no periodic re-creation.
              BURNRATE_SCHEDULE_CHECK_MS: 3_600_000,
            },
            db,
            redis,
            slack: null,
            log: pino({ level: process.env.TEST_LOG ?? "silent" }),
            now: Date.now,
          });
          const done = { evaluate: 0 };
          w.worker.on("completed", (job) => {
            if (job.name === "slo.evaluate") done.evaluate++;
          });
          return { n, w, db, redis, done };
        }),
      );
      const queue = new Queue(QUEUE_NAME, {
        connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
        prefix,
      });
      let duplicates = 0;
      try {
        const t0 = Date.now();
        while (Date.now() - t0 < RUN_MS) {
          await new Promise((r) => setTimeout(r, 3000));
          // Re-run a shard that already finished in this cycle, under a new job id.
          const [last] = await stack.db.$queryRawUnsafe<{ minute: Date; shard: number; shards: number }[]>(
            `SELECT minute, shard, shards FROM evaluation_runs WHERE slos > 0 ORDER BY at DESC LIMIT 1`,
          );
          if (last) {
            await queue.add(
              "slo.evaluate",
              { shard: last.shard, shards: last.shards, minuteMs: last.minute.getTime(), dirty: {} },
              { jobId: `dup-${last.minute.getTime()}-${last.shard}-${duplicates}` },
            );
            duplicates++;
          }
        }
        // Stop scheduling, then let the last cycle finish.
        for (const sch of await queue.getJobSchedulers()) await queue.removeJobScheduler(sch.key);
        await waitFor(
          "the queue to drain",
          async () => {
            const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
            return Object.values(c).every((v) => v === 0);
          },
          60_000,
          200,
        );
      } finally {
        await queue.obliterate({ force: true }).catch(() => undefined);
        await queue.close();
        for (const x of workers) {
          await x.w.close();
          x.redis.disconnect();
        }
      }

      const runs = await stack.db.$queryRawUnsafe<
        { minute: Date; shards: number; jobs: number; slos: number; ms: number }[]
      >(
        `SELECT minute, max(shards)::int AS shards, count(*)::int AS jobs, sum(slos)::int AS slos,
              (extract(epoch FROM max(at) FILTER (WHERE slos > 0) - minute) * 1000)::int AS ms
         FROM evaluation_runs GROUP BY minute ORDER BY minute`,
      );
      console.info(
        runs.map((r) => `${r.minute.toISOString()} jobs=${r.jobs} slos=${r.slos} done+${r.ms}ms`).join("\n"),
      );
      const cycles = runs.length;
      // Every cycle evaluated every SLO exactly once, though some shards ran twice (the duplicates).
      expect(runs.map((r) => r.slos)).toEqual(runs.map(() => SLOS));
      expect(runs.reduce((s, r) => s + r.jobs, 0)).toBeGreaterThan(cycles * runs[0]!.shards); // duplicates ran
      // Consecutive cycles: none skipped.
      for (let i = 1; i < runs.length; i++)
        expect(runs[i]!.minute.getTime() - runs[i - 1]!.minute.getTime()).toBe(CYCLE_MS);
      // Per SLO: evaluated once in every cycle, the last one included.
      const per = await stack.db.$queryRawUnsafe<{ evaluations: number; n: number; last: Date | null }[]>(
        `SELECT evaluations, count(*)::int AS n, max(last_evaluated_cycle) AS last FROM slos GROUP BY evaluations`,
      );
      expect(per.map((p) => [p.evaluations, p.n])).toEqual([[cycles, SLOS]]);
      expect(per[0]!.last!.getTime()).toBe(runs.at(-1)!.minute.getTime());
      // Both workers did part of the work.
      for (const x of workers) expect(x.done.evaluate, `worker ${x.n}`).toBeGreaterThan(0);
      expect(cycles).toBeGreaterThanOrEqual(Math.floor(RUN_MS / CYCLE_MS) - 1);
      console.info(
        `${cycles} cycles of ${CYCLE_MS} ms × ${SLOS} SLOs = ${cycles * SLOS} evaluations, ` +
          `${duplicates} duplicate shard jobs enqueued, shard jobs per worker: ${workers.map((x) => x.done.evaluate).join(" / ")}`,
      );
      await Promise.all(workers.map((x) => x.db.$disconnect()));
    },
  );
});
