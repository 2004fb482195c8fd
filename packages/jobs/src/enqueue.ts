import type { JobsOptions, Queue } from "bullmq";
import { JOBS, jobIdOf, type EnqueuedJobName, type JobPayload } from "./catalog";
import type { QueueName } from "./queues";

/** Adds a job of the catalog: the payload is parsed, the queue, options and id are the catalog's. */
export type Enqueue = <N extends EnqueuedJobName>(
  name: N,
  payload: JobPayload<N>,
  /** Run it no sooner than this many ms from now (a delayed job). */
  opts?: { delayMs?: number },
) => Promise<void>;

/** What adding a job puts in Redis. */
export interface JobToAdd<N extends EnqueuedJobName> {
  queue: QueueName;
  name: N;
  data: JobPayload<N>;
  opts: JobsOptions & { jobId: string };
}

/**
 * The queue, data, options and id of a job (pure). Throws the schema's `ZodError` when the payload does not
 * parse, so a malformed job never reaches Redis. The id is computed from the parsed payload.
 */
export function jobToAdd<N extends EnqueuedJobName>(name: N, payload: JobPayload<N>): JobToAdd<N> {
  const spec = JOBS[name];
  const data = spec.payload.parse(payload) as JobPayload<N>;
  return { queue: spec.queue, name, data, opts: { ...spec.opts, jobId: jobIdOf(name, data) } };
}

/** The one typed enqueue, over the catalog's queues. */
export function createEnqueue(queues: Record<QueueName, Pick<Queue, "add">>): Enqueue {
  return async (name, payload, opts) => {
    const job = jobToAdd(name, payload);
    const delay = Math.max(0, Math.round(opts?.delayMs ?? 0));
    await queues[job.queue].add(job.name, job.data, delay > 0 ? { ...job.opts, delay } : job.opts);
  };
}

/**
 * Hands recorded webhook events to the worker (null: none was recorded, no receiver takes it). A lost enqueue
 * (Redis down) is not an error: the receiver sweep delivers every event whose delivery never finished.
 */
export async function enqueueWebhookEvents(
  enqueue: Enqueue | undefined,
  eventIds: readonly (string | null)[],
): Promise<void> {
  if (!enqueue) return;
  for (const eventId of eventIds)
    if (eventId) await enqueue("receiver.deliver-event", { eventId }).catch(() => undefined);
}
