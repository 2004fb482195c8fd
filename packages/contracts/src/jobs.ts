import { z } from "zod";

/**
 * Job payloads shared by the API (producer) and the worker (consumer). Queues, retry policy and job ids are
 * in `@burnrate/jobs`, the job catalog.
 */

/** The payload of a job started by a job scheduler: BullMQ's scheduler sends `{}`. */
export const ScheduledJob = z.object({}).passthrough();
export type ScheduledJob = z.infer<typeof ScheduledJob>;
export const EvaluateShardJob = z.object({
  shard: z.number().int().min(0),
  shards: z.number().int().min(1),
  minuteMs: z.number(),
  /** service id -> earliest minute (ms) touched by ingest since the last tick: recompute SLIs from there. */
  dirty: z.record(z.string(), z.number()).default({}),
});
export type EvaluateShardJob = z.infer<typeof EvaluateShardJob>;
export const BackfillSloJob = z.object({
  sloId: z.string(),
  /** The SLO's version whose SLI the backfill recomputes: one backfill per version (it names the job). */
  version: z.number().int().min(1),
  /**
   * What else asks for it (`history-<importId>`: a history import wrote rollups under the SLO): one more
   * backfill of the same version, once per cause.
   */
  cause: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/)
    .optional(),
});
export type BackfillSloJob = z.infer<typeof BackfillSloJob>;
export const DispatchAlertJob = z.object({ alertId: z.string(), eventKind: z.string(), eventId: z.string() });
export type DispatchAlertJob = z.infer<typeof DispatchAlertJob>;
/** Creates or brings up to date an incident's Slack channel; `rev` is the incident's revision (updatedAt ms). */
export const IncidentChannelJob = z.object({ incidentId: z.uuid(), rev: z.number().int().min(0) });
export type IncidentChannelJob = z.infer<typeof IncidentChannelJob>;
