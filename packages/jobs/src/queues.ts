/** The queue of every job but backfills: the evaluation tick and its shards, alerting, dispatch, retention. */
export const QUEUE_NAME = "burnrate";
/**
 * Backfills have a queue of their own, consumed at a bounded rate: a burst of thousands (new SLOs from a new
 * default SLO) never waits in front of the evaluation tick.
 */
export const BACKFILL_QUEUE_NAME = "burnrate-backfill";
export type QueueName = typeof QUEUE_NAME | typeof BACKFILL_QUEUE_NAME;
/** Every queue, in the order the worker starts its consumers. */
export const QUEUE_NAMES: readonly QueueName[] = [QUEUE_NAME, BACKFILL_QUEUE_NAME];

/** Default BullMQ key prefix; tests use their own so parallel runs never share a queue. */
export const DEFAULT_QUEUE_PREFIX = "bull";

/**
 * Redis sorted set under the queue prefix: member = service id, score = earliest minute (ms) ingest touched
 * since the last evaluation. Ingest adds to it; the `slo.tick` job takes it whole into its shard payloads.
 */
export const dirtyServicesKey = (prefix: string) => `${prefix}:burnrate:dirty-services`;

/**
 * Redis sorted set under the queue prefix: member = service id, score = the newest minute (ms) in which ingest
 * stored a server error (status ≥ 500) for it since the worker's last fast pass. Ingest adds to it after the
 * rows are committed; the worker's fast pass (every few seconds) takes it whole and evaluates those services'
 * SLOs at once instead of at the next cycle. A hint only: the minute cycle evaluates every SLO regardless.
 */
export const hotServicesKey = (prefix: string) => `${prefix}:burnrate:hot-services`;
