import { QUEUE_NAME, dirtyServicesKey } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { SlackSender } from "@burnrate/slack";
import { Queue, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { JOBS, type Enqueue, type JobName } from "./catalog";
import type { WorkerConfig } from "./config";
import { createBackfillJob } from "./jobs/backfill";
import { createDispatchSweepJob } from "./jobs/alerting";
import { createDispatchJob } from "./jobs/dispatch";
import { createPolicyJob } from "./jobs/policy";
import { createEvaluateShardJob, createTickJob } from "./jobs/evaluate";
import { RETENTION_EVERY_MS, createRetentionJob } from "./jobs/retention";

export interface WorkerDeps {
  config: Pick<
    WorkerConfig,
    | "PUBLIC_URL"
    | "WORKER_CONCURRENCY"
    | "BURNRATE_EVAL_EVERY_MS"
    | "BURNRATE_EVAL_SHARD_SIZE"
    | "BURNRATE_QUEUE_PREFIX"
  > &
    Partial<Pick<WorkerConfig, "BURNRATE_JOB_LOCK_MS">>;
  db: Db;
  redis: Redis;
  slack: SlackSender | null;
  log: Logger;
  now: () => number;
}

/** Starts the queue consumer and the evaluation scheduler. Several workers on one Redis share the work. */
export async function startWorker(deps: WorkerDeps) {
  const { config, db, redis, log, now } = deps;
  const prefix = config.BURNRATE_QUEUE_PREFIX;
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix });
  const enqueue: Enqueue = async (name, payload, jobId) => {
    await queue.add(name, JOBS[name].payload.parse(payload), { ...JOBS[name].opts, jobId });
  };
  const handlers: Record<JobName, (payload: never) => Promise<unknown>> = {
    "slo.tick": createTickJob({
      db,
      redis,
      enqueue,
      shardSize: config.BURNRATE_EVAL_SHARD_SIZE,
      everyMs: config.BURNRATE_EVAL_EVERY_MS,
      dirtyKey: dirtyServicesKey(prefix),
      now,
      log,
    }),
    "slo.evaluate": createEvaluateShardJob({ db, enqueue, now, log }),
    "slo.backfill": createBackfillJob({ db, now, log }),
    "rollups.retention": createRetentionJob({ db, now, log }),
    "alert.dispatch": createDispatchJob({ db, slack: deps.slack, publicUrl: config.PUBLIC_URL, now, log }),
    "alert.sweep": createDispatchSweepJob({ db, enqueue, now, log }),
    "policy.evaluate": createPolicyJob({ db, slack: deps.slack, publicUrl: config.PUBLIC_URL, now, log }),
  };
  // Upsert is idempotent: every worker may call it, and there is still one schedule.
  await queue.upsertJobScheduler(
    "slo-tick",
    { every: config.BURNRATE_EVAL_EVERY_MS },
    { name: "slo.tick", data: {}, opts: JOBS["slo.tick"].opts },
  );
  await queue.upsertJobScheduler(
    "alert-sweep",
    { every: Math.max(5_000, config.BURNRATE_EVAL_EVERY_MS) },
    { name: "alert.sweep", data: {}, opts: JOBS["alert.sweep"].opts },
  );
  await queue.upsertJobScheduler(
    "policy-tick",
    { every: config.BURNRATE_EVAL_EVERY_MS },
    { name: "policy.evaluate", data: {}, opts: JOBS["policy.evaluate"].opts },
  );
  const lockMs = config.BURNRATE_JOB_LOCK_MS ?? 30_000;
  await queue.upsertJobScheduler(
    "rollups-retention",
    { every: RETENTION_EVERY_MS },
    { name: "rollups.retention", data: {}, opts: JOBS["rollups.retention"].opts },
  );
  const workerConnection = redis.duplicate();
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job) => {
      const name = job.name as JobName;
      const spec = JOBS[name];
      if (!spec) throw new Error(`unknown job ${job.name}`);
      return handlers[name](spec.payload.parse(job.data) as never);
    },
    {
      connection: workerConnection,
      concurrency: config.WORKER_CONCURRENCY,
      prefix,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A job interrupted by repeated crashes is picked up again, not failed: the dispatch is idempotent.
      maxStalledCount: 50,
    },
  );
  worker.on("failed", (job, err) =>
    log.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, "job failed"),
  );
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
    },
  };
}
