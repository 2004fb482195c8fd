import { Queue, type QueueOptions } from "bullmq";
import { createEnqueue, type Enqueue } from "./enqueue";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME, type QueueName } from "./queues";

/** The producer side of every queue, for the API and the worker alike. */
export interface JobQueues {
  enqueue: Enqueue;
  /** Every queue of the catalog, by name (the worker samples their depths; tests inspect them). */
  queues: Record<QueueName, Queue>;
  close(): Promise<void>;
}

/** Opens the catalog's queues on a Redis connection (shared, not owned: `close` leaves it open). */
export function createJobQueues(opts: { connection: QueueOptions["connection"]; prefix: string }): JobQueues {
  const { connection, prefix } = opts;
  const queues: Record<QueueName, Queue> = {
    [QUEUE_NAME]: new Queue(QUEUE_NAME, { connection, prefix }),
    [BACKFILL_QUEUE_NAME]: new Queue(BACKFILL_QUEUE_NAME, { connection, prefix }),
  };
  // Without a listener, a Redis outage is an unhandled 'error' event; the connection's owner logs the outage.
  for (const q of Object.values(queues)) q.on("error", () => undefined);
  return {
    enqueue: createEnqueue(queues),
    queues,
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    },
  };
}
