import {
  BackfillSloJob,
  DeliverReceiversJob,
  DeliverWebhookEventJob,
  DispatchAlertJob,
  EscalateAlertJob,
  EvaluateShardJob,
  IncidentChannelJob,
  ScheduledJob,
} from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import type { z } from "zod";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME, type QueueName } from "./queues";

/** How BullMQ retries a job and how many finished ones it keeps. The same whoever adds the job. */
export interface JobPolicy {
  /** Tries in all: 1 = never retried (a scheduled job simply runs again at its next slot). */
  attempts: number;
  /** Retry n waits `delay` × 2^(n-1) ms. */
  backoff?: { type: "exponential"; delay: number };
  /** Finished jobs kept (for inspection; while kept, adding a job with the same id adds nothing), or `true` for none. */
  removeOnComplete: number | true;
  /** Failed jobs kept, or `true` to keep none (so that a sweep may add the same job again). */
  removeOnFail: number | true;
}

interface JobSpec<S extends z.ZodType> {
  /** The queue that carries the job (see queues.ts). */
  queue: QueueName;
  /** Parsed by `enqueue` before the job is added, and by the worker before it runs. */
  payload: S;
  /**
   * What the worker also takes: an older form of the payload that jobs added by an earlier release may still
   * carry in Redis (an upgrade with jobs waiting). The handler gets the parsed payload or this.
   */
  accepts?: z.ZodType;
  opts: JobPolicy;
}

/**
 * A job that code adds (the API, another job). Its id comes from its payload and nothing else (no clock, no
 * randomness), so adding the same job twice (a retried request, a second tick, a sweep) adds it once.
 */
export interface EnqueuedJobSpec<S extends z.ZodType = z.ZodType> extends JobSpec<S> {
  jobId: (payload: z.output<S>) => string;
}

/**
 * A job that a BullMQ job scheduler adds (the worker's schedules.ts sets the period). BullMQ names each run
 * after the scheduler and the slot (`repeat:<scheduler>:<slot ms>`), so two workers asserting the same
 * schedule still make one run per slot.
 */
export interface ScheduledJobSpec extends JobSpec<typeof ScheduledJob> {
  scheduler: string;
}

const enqueued = <S extends z.ZodType>(spec: EnqueuedJobSpec<S>): EnqueuedJobSpec<S> => spec;
const scheduled = (scheduler: string, opts: JobPolicy): ScheduledJobSpec => ({
  queue: QUEUE_NAME,
  payload: ScheduledJob,
  opts,
  scheduler,
});

/** Runs every cycle: a failed run is not retried, the next slot runs it again. */
const ONCE_PER_SLOT: JobPolicy = { attempts: 1, removeOnComplete: 100, removeOnFail: 100 };

/** Every job of Burnrate, in one place: name (`entity.verb`), queue, payload schema, policy, id. */
export const JOBS = {
  /** Takes the services ingest touched and fans out one `slo.evaluate` per shard. */
  "slo.tick": scheduled("slo-tick", ONCE_PER_SLOT),
  /** Evaluates the SLOs of one shard for one cycle. */
  "slo.evaluate": enqueued({
    queue: QUEUE_NAME,
    payload: EvaluateShardJob,
    opts: {
      attempts: 3,
      backoff: { type: "exponential", delay: 2_000 },
      removeOnComplete: 500,
      removeOnFail: 1000,
    },
    // The cycle and the shard: a second tick in the same cycle (two schedulers, a retry) adds nothing. The id
    // is also the holder of the shard's evaluation leases, so a retry takes over what its attempt claimed.
    jobId: (p) => `eval-${p.minuteMs}-${p.shards}-${p.shard}`,
  }),
  /** Recomputes an SLO's SLI history after it is created or its SLI changes; consumed at a bounded rate. */
  "slo.backfill": enqueued({
    queue: BACKFILL_QUEUE_NAME,
    payload: BackfillSloJob,
    // Backfills queued before the payload named the version carry only the SLO (the handler needs no more).
    accepts: BackfillSloJob.partial({ version: true }),
    opts: {
      attempts: 5,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: 500,
      removeOnFail: 1000,
    },
    // One backfill per SLO version: a retried request adds nothing, and a change of the SLI (a new version)
    // queues a new backfill even while the old one is kept as completed. A history import is a cause of its own
    // (new rollups under an unchanged SLI): one more backfill per import.
    jobId: (p) => `backfill-${p.sloId}-v${p.version}${p.cause ? `-${p.cause}` : ""}`,
  }),
  /**
   * Writes the analysis of every period of each SLO × region (the manager indicators read it instead of judging
   * periods from their minutes): complete periods once, the current one again each run.
   */
  "slo.snapshot": scheduled("slo-snapshot", ONCE_PER_SLOT),
  /** Error budget policy conditions per team. */
  "policy.evaluate": scheduled("policy-tick", ONCE_PER_SLOT),
  /** Re-enqueues the dispatch of events that have none (safety net for "no lost messages"). */
  "alert.sweep": scheduled("alert-sweep", ONCE_PER_SLOT),
  /** Announces in the team's Slack channel each on-call shift that starts (who is on call now and next). */
  "oncall.handoffs": scheduled("oncall-handoffs", ONCE_PER_SLOT),
  /** Tells stakeholder rings of incidents left open past their rule, and delivers bracket messages to Slack. */
  "stakeholders.notify": scheduled("stakeholders-notify", ONCE_PER_SLOT),
  /** Folds old rollup minutes into hours and drops old partitions. */
  "rollups.retention": scheduled("rollups-retention", {
    attempts: 3,
    backoff: { type: "exponential", delay: MINUTE_MS },
    removeOnComplete: 50,
    removeOnFail: 50,
  }),
  /** Posts or updates an alert's Slack message for one event. */
  "alert.dispatch": enqueued({
    queue: QUEUE_NAME,
    payload: DispatchAlertJob,
    opts: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
    // One job per event, whoever enqueues it (the evaluation, an ack in the API or Slack, the sweep): the
    // delivery's idempotency key is stored per event too, so a crash and a retry never post twice.
    jobId: (p) => `dispatch-${p.eventId}`,
  }),
  /** Notifies the owning teams once when an SLA's period budget consumption reaches a threshold. */
  "sla.notify": scheduled("sla-notices", ONCE_PER_SLOT),
  /** Sends each team's (and the organisation's) weekly availability newsletter once per week, at its local time. */
  "newsletter.send": scheduled("newsletter-send", ONCE_PER_SLOT),
  /** Starts the escalation of alerts that fired, and re-enqueues escalation notices that are due. */
  "escalation.sweep": scheduled("escalation-sweep", ONCE_PER_SLOT),
  /** Sends one notice of an alert's escalation (pass × step) when it is due: a delayed job. */
  "alert.escalate": enqueued({
    queue: QUEUE_NAME,
    payload: EscalateAlertJob,
    opts: {
      attempts: 5,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: 1000,
      // A notice whose tries ran out is dropped from Redis: the escalation sweep adds it again while it is due.
      removeOnFail: true,
    },
    // One job per notice and due time: re-adding it (the sweep, a retry of the previous notice) adds nothing.
    jobId: (p) => `escalate-${p.alertId}-${p.pass}-${p.step}-${p.atMs}`,
  }),
  /** Delivers one alert event to the team's receivers (Alertmanager, PagerDuty, Opsgenie, webhooks). */
  "receiver.deliver": enqueued({
    queue: QUEUE_NAME,
    payload: DeliverReceiversJob,
    opts: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      // Removed when done, so that the sweep can add an event again whose delivery rows are still missing (a job
      // that ended early, e.g. a resolve waiting for its trigger); the job only sends what is not recorded as sent.
      removeOnComplete: true,
      // Dropped when its tries ran out: the receiver sweep adds it again while a delivery is still pending.
      removeOnFail: true,
    },
    // One job per event: each delivery row is unique per alert × receiver × event type, so a crash and a
    // retry send again only what was not recorded as sent, with the same idempotency key.
    jobId: (p) => `receivers-${p.eventId}`,
  }),
  /** Delivers one webhook event (policy.enacted, slo.changed) to the team's webhook receivers that take it. */
  "receiver.deliver-event": enqueued({
    queue: QUEUE_NAME,
    payload: DeliverWebhookEventJob,
    opts: {
      attempts: 8,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: true,
      // Dropped when its tries ran out: the receiver sweep adds it again while a delivery is still pending.
      removeOnFail: true,
    },
    // One job per event: one delivery row per event × receiver, so a retry sends only what is not sent.
    jobId: (p) => `webhook-event-${p.eventId}`,
  }),
  /** Re-enqueues receiver deliveries Redis lost, and re-sends firing alerts to Alertmanager before it times them out. */
  "receiver.sweep": scheduled("receiver-sweep", ONCE_PER_SLOT),
  /**
   * Creates an incident's Slack channel (once: the name is recorded before the call), invites its responders
   * and commander, and pins and updates its summary. Added by the API when an incident is opened or changes.
   */
  "incident.channel": enqueued({
    queue: QUEUE_NAME,
    payload: IncidentChannelJob,
    opts: {
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000 },
      removeOnComplete: 500,
      // Dropped when its tries ran out: the channel sweep brings the incident up to date again.
      removeOnFail: true,
    },
    // One job per incident revision: a retried request adds nothing, a later change adds a new job.
    jobId: (p) => `incident-channel-${p.incidentId}-${p.rev}`,
  }),
  /** Brings every open (or just resolved) incident's channel up to date: a safety net for lost jobs. */
  "incident.channels": scheduled("incident-channels", ONCE_PER_SLOT),
};
export type JobName = keyof typeof JOBS;
/** The jobs that code adds with `enqueue` (the others are added by job schedulers). */
export type EnqueuedJobName = {
  [N in JobName]: (typeof JOBS)[N] extends { jobId: unknown } ? N : never;
}[JobName];
export type ScheduledJobName = Exclude<JobName, EnqueuedJobName>;
/** A job's payload, as its schema parses it. */
export type JobPayload<N extends JobName> = z.output<(typeof JOBS)[N]["payload"]>;

/** The id of an enqueued job: a function of its payload only. */
export function jobIdOf<N extends EnqueuedJobName>(name: N, payload: JobPayload<N>): string {
  return (JOBS[name].jobId as (p: JobPayload<N>) => string)(payload);
}
