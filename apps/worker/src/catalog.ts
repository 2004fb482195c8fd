/** The worker's jobs are the shared catalog's (`@burnrate/jobs`): names, payloads, queues, policy, ids. */
export {
  JOBS,
  jobIdOf,
  type Enqueue,
  type EnqueuedJobName,
  type JobName,
  type JobPayload,
  type ScheduledJobName,
} from "@burnrate/jobs";
