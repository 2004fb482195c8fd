import { BACKFILL_JOB_OPTS, BACKFILL_QUEUE_NAME, QUEUE_NAME, backfillJobId } from "@burnrate/contracts";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** What the API asks of the worker. */
export interface Enqueue {
  /** `version`: the SLO's version whose SLI the backfill recomputes (one backfill per version). */
  backfill(sloId: string, version: number): Promise<void>;
  dispatch(alertId: string, eventKind: string, eventId: string): Promise<void>;
}

export function createEnqueue(
  connection: Redis,
  prefix: string,
): Enqueue & { queue: Queue; backfillQueue: Queue; close(): Promise<void> } {
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  const backfillQueue = new Queue(BACKFILL_QUEUE_NAME, { connection, prefix });
  // Without a listener, a Redis outage is an unhandled 'error' event; the connection's owner logs the outage.
  for (const q of [queue, backfillQueue]) q.on("error", () => undefined);
  const common = {
    attempts: 8,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  } as const;
  return {
    queue,
    backfillQueue,
    async backfill(sloId, version) {
      await backfillQueue.add(
        "slo.backfill",
        { sloId },
        { ...BACKFILL_JOB_OPTS, jobId: backfillJobId(sloId, version) },
      );
    },
    async dispatch(alertId, eventKind, eventId) {
      await queue.add(
        "alert.dispatch",
        { alertId, eventKind, eventId },
        { ...common, jobId: `dispatch-${eventId}` },
      );
    },
    async close() {
      await Promise.all([queue.close(), backfillQueue.close()]);
    },
  };
}
