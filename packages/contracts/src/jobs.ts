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
export const BackfillSloJob = z.object({ sloId: z.string() });
export type BackfillSloJob = z.infer<typeof BackfillSloJob>;
export const DispatchAlertJob = z.object({ alertId: z.string(), eventKind: z.string(), eventId: z.string() });
export type DispatchAlertJob = z.infer<typeof DispatchAlertJob>;
/** Redis sorted set: member = service id, score = earliest minute (ms) ingest touched since the last evaluation. */
export const dirtyServicesKey = (prefix: string) => `${prefix}:burnrate:dirty-services`;
