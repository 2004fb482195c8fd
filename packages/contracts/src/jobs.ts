import { z } from "zod";

/** Job payloads shared by the API (producer) and the worker (consumer). */
export const QUEUE_NAME = "burnrate";
/** Default BullMQ key prefix; tests use their own so parallel runs never share a queue. */
export const DEFAULT_QUEUE_PREFIX = "bull";
export const EvaluateShardJob = z.object({
  shard: z.number().int().min(0),
  shards: z.number().int().min(1),
  minuteMs: z.number(),
  /** service id -> earliest minute (ms) touched by ingest since the last tick: recompute SLIs from there. */
  dirty: z.record(z.string(), z.number()).default({}),
});
export type EvaluateShardJob = z.infer<typeof EvaluateShardJob>;
/**
 * Backfills have a queue of their own, consumed at a bounded rate: a burst of thousands (new SLOs from a new
 * default SLO) never waits in front of the evaluation tick.
 */
export const BACKFILL_QUEUE_NAME = "burnrate-backfill";
/** Retry policy of `slo.backfill`, the same for the API (producer) and the worker's catalog. */
export const BACKFILL_JOB_OPTS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: 500,
  removeOnFail: 1000,
} as const;
/**
 * One backfill per SLO version: a retried request adds nothing, and a change of the SLI (a new version) queues
 * a new backfill even while the old one is kept as completed.
 */
export const backfillJobId = (sloId: string, version: number) => `backfill-${sloId}-v${version}`;
export const BackfillSloJob = z.object({ sloId: z.string() });
export type BackfillSloJob = z.infer<typeof BackfillSloJob>;
export const DispatchAlertJob = z.object({ alertId: z.string(), eventKind: z.string(), eventId: z.string() });
export type DispatchAlertJob = z.infer<typeof DispatchAlertJob>;
/** Redis sorted set: member = service id, score = earliest minute (ms) ingest touched since the last evaluation. */
export const dirtyServicesKey = (prefix: string) => `${prefix}:burnrate:dirty-services`;
