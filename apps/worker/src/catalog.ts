import { BackfillSloJob, DispatchAlertJob, EvaluateShardJob } from "@burnrate/contracts";
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
    opts: {
      attempts: 5,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: 500,
      removeOnFail: 1000,
    },
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

export type Enqueue = <N extends JobName>(
  name: N,
  payload: z.infer<(typeof JOBS)[N]["payload"]>,
  jobId: string,
) => Promise<void>;
