import {
  BACKFILL_JOB_OPTS,
  BACKFILL_QUEUE_NAME,
  BackfillSloJob,
  DispatchAlertJob,
  EvaluateShardJob,
  QUEUE_NAME,
} from "@burnrate/contracts";
import type { JobsOptions } from "bullmq";
import { z } from "zod";

/** Every job of the worker, in one place: name, payload schema, retry policy. */
export const JOBS = {
  "slo.tick": {
    payload: z.object({}).passthrough(),
    opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  },
  "slo.evaluate": {
    payload: EvaluateShardJob,
    opts: {
      attempts: 3,
      backoff: { type: "exponential", delay: 2000 },
      removeOnComplete: 500,
      removeOnFail: 1000,
    },
  },
  "slo.backfill": {
    payload: BackfillSloJob,
    // On its own queue (QUEUE_OF), consumed at a bounded rate; the API produces it with the same options.
    opts: BACKFILL_JOB_OPTS,
  },
  "policy.evaluate": {
    payload: z.object({}).passthrough(),
    opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  },
  "alert.sweep": {
    payload: z.object({}).passthrough(),
    opts: { attempts: 1, removeOnComplete: 100, removeOnFail: 100 },
  },
  "rollups.retention": {
    payload: z.object({}).passthrough(),
    opts: {
      attempts: 3,
      backoff: { type: "exponential", delay: 60_000 },
      removeOnComplete: 50,
      removeOnFail: 50,
    },
  },
  "alert.dispatch": {
    payload: DispatchAlertJob,
    opts: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
  },
} satisfies Record<string, { payload: z.ZodType; opts: JobsOptions }>;
export type JobName = keyof typeof JOBS;

/** The queue of each job: backfills apart, so that a burst of them never waits in front of the evaluation tick. */
export const queueOf = (name: JobName): string =>
  name === "slo.backfill" ? BACKFILL_QUEUE_NAME : QUEUE_NAME;

export type Enqueue = <N extends JobName>(
  name: N,
  payload: z.infer<(typeof JOBS)[N]["payload"]>,
  jobId: string,
) => Promise<void>;
