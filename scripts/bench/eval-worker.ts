/**
 * An evaluation worker process for the bench: the worker's shard job code in a process of its own, with the
 * worker's database pool, so that its CPU and its memory are read from /proc apart from the bench's. Two modes:
 *
 *  - IPC (scripts/bench/prometheus.ts): the parent sends `{ slos, shardSize }` for each cycle and gets back
 *    the cycle's result (scripts/bench/evaluation.ts's `runEvalCycle`: every shard of a cycle, `concurrency` at
 *    a time) and the process's peak RSS so far (VmHWM).
 *  - Queue (BENCH_QUEUE_PREFIX set; scripts/bench/scale.ts): a BullMQ consumer of the worker's queue on that
 *    prefix, as apps/worker/src/worker.ts starts it (the same concurrency, lock and stall settings), running the
 *    worker's `slo.evaluate` job (`createEvaluateShardJob`) on each shard job the tick enqueued. Several such
 *    processes on one Redis share a cycle's shards as several workers do. After each shard it sends the parent
 *    `{ shard, minuteMs, evaluated, phases, hwm }`.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createDb } from "../../packages/db/src/index.ts";
import { JOBS, QUEUE_NAME } from "../../packages/jobs/src/index.ts";
import { createEvaluateShardJob } from "../../apps/worker/src/jobs/evaluate/index.ts";
import { runEvalCycle } from "./evaluation.ts";
import { procStatusBytes, type Env } from "./harness.ts";

const CONCURRENCY = 4; // the worker's default WORKER_CONCURRENCY
// As apps/worker/src/main.ts sizes its pool and keeps idle connections (5 minutes).
const db = createDb({
  databaseUrl: process.env.DATABASE_URL!,
  poolSize: 2 * CONCURRENCY + 4,
  idleTimeoutMs: 5 * 60_000,
});
const env = { db } as unknown as Env;
const prefix = process.env.BENCH_QUEUE_PREFIX;

if (prefix) {
  // bullmq and ioredis are the worker's dependencies, not the root package's: loaded from apps/worker.
  const req = createRequire(path.resolve(import.meta.dirname, "../../apps/worker/package.json"));
  const load = (name: string) => import(pathToFileURL(req.resolve(name)).href);
  const { Worker } = (await load("bullmq")) as typeof import("../../apps/worker/node_modules/bullmq");
  const { Redis } = (await load("ioredis")) as typeof import("../../apps/worker/node_modules/ioredis");
  const noop = () => undefined;
  const log = { info: noop, debug: noop, warn: noop, error: noop, trace: noop, fatal: noop } as never;
  const job = createEvaluateShardJob({ db, enqueue: async () => undefined, now: Date.now, log });
  const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
  // As apps/worker/src/worker.ts: 30 s lock, the stall check at the same interval, blocking waits of 10 s.
  const worker = new Worker(
    QUEUE_NAME,
    async (j) => {
      if (j.name !== "slo.evaluate") throw new Error(`unexpected job ${j.name}`);
      const payload = JOBS["slo.evaluate"].payload.parse(j.data);
      const r = await job(payload, { jobId: j.id });
      process.send!({
        shard: payload.shard,
        minuteMs: payload.minuteMs,
        evaluated: r.evaluated,
        phases: r.phases,
        hwm: procStatusBytes("self", "VmHWM"),
      });
      return r.evaluated;
    },
    {
      connection,
      prefix,
      concurrency: CONCURRENCY,
      lockDuration: 30_000,
      stalledInterval: 30_000,
      drainDelay: 10,
      maxStalledCount: 50,
    },
  );
  worker.on("failed", (j, err) => process.send!({ failed: `${j?.id}: ${err.message}` }));
  process.on("message", (msg: "exit") => {
    if (msg !== "exit") return;
    void worker
      .close()
      .then(() => connection.quit())
      .then(() => db.$disconnect())
      .then(() => process.exit(0));
  });
  await worker.waitUntilReady();
  process.send!({ ready: true });
} else {
  process.on("message", (msg: { slos: number; shardSize: number } | "exit") => {
    if (msg === "exit") {
      void db.$disconnect().then(() => process.exit(0));
      return;
    }
    runEvalCycle(env, { slos: msg.slos, shardSize: msg.shardSize, concurrency: CONCURRENCY }).then(
      (r) =>
        process.send!({
          ok: true,
          ms: r.ms,
          dispatches: r.dispatches,
          hwm: procStatusBytes("self", "VmHWM"),
        }),
      (e: unknown) => process.send!({ ok: false, error: String(e) }),
    );
  });
  process.send!({ ready: true });
}
