import { QUEUE_NAME } from "@burnrate/contracts";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";

/** What the API asks of the worker. */
export interface Enqueue {
  backfill(sloId: string): Promise<void>;
  dispatch(alertId: string, eventKind: string, eventId: string): Promise<void>;
}

export function createEnqueue(
  connection: Redis,
  prefix: string,
): Enqueue & { queue: Queue; close(): Promise<void> } {
  const queue = new Queue(QUEUE_NAME, { connection, prefix });
  const common = {
    attempts: 8,
    backoff: { type: "exponential", delay: 1000 },
    removeOnComplete: 1000,
    removeOnFail: 5000,
  } as const;
  return {
    queue,
    async backfill(sloId) {
      await queue.add("slo.backfill", { sloId }, { ...common, jobId: `backfill-${sloId}-${Date.now()}` });
    },
    async dispatch(alertId, eventKind, eventId) {
      await queue.add(
        "alert.dispatch",
        { alertId, eventKind, eventId },
        { ...common, jobId: `dispatch-${eventId}` },
      );
    },
    close: () => queue.close(),
  };
}
