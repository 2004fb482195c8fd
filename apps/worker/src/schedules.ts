import type { JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, type ScheduledJobName } from "./catalog";
import { SNAPSHOT_EVERY_MS } from "./jobs/period-snapshots";
import { RETENTION_EVERY_MS } from "./jobs/retention";

export interface ScheduleSpec {
  /** The scheduler's id, from the catalog. */
  id: string;
  everyMs: number;
  job: ScheduledJobName;
  opts: JobsOptions;
}

/** Hand-offs are looked for at least this often (and as often as evaluation runs, when that is shorter). */
const HANDOFF_CHECK_MAX_MS = 60_000;
/** Stakeholder rules are checked at least this often: a ring is told within a minute of its rule's time. */
const STAKEHOLDER_CHECK_MAX_MS = 30_000;
/** The dispatch sweep runs at most this often, however short the evaluation interval. */
const SWEEP_MIN_EVERY_MS = 5_000;

/**
 * Due escalation notices are looked for at least this often (their delayed jobs normally come first): the most
 * a notice is late after Redis lost its delayed jobs or a worker died holding one.
 */
const ESCALATION_SWEEP_MAX_MS = 5_000;

/** Incident channels are brought up to date at least this often when their own job was lost. */
const INCIDENT_CHANNEL_SWEEP_MAX_MS = 30_000;

/** Receiver deliveries and Alertmanager re-sends are looked at least this often. */
const RECEIVER_SWEEP_MAX_MS = 15_000;

/** Newsletter slots are looked for at least this often: one is posted within a minute of its local time. */
const NEWSLETTER_CHECK_MAX_MS = 60_000;

/**
 * The worker's job schedulers: the period of each scheduled job of the catalog (whose entry gives the
 * scheduler's id and the job's options). They live only in Redis, so they are re-created whenever Redis lost
 * them.
 */
export function scheduleSpecs(evalEveryMs: number): ScheduleSpec[] {
  const spec = (job: ScheduledJobName, everyMs: number): ScheduleSpec => ({
    id: JOBS[job].scheduler,
    everyMs,
    job,
    opts: JOBS[job].opts,
  });
  return [
    spec("slo.tick", evalEveryMs),
    spec("alert.sweep", Math.max(SWEEP_MIN_EVERY_MS, evalEveryMs)),
    spec("policy.evaluate", evalEveryMs),
    spec("rollups.retention", RETENTION_EVERY_MS),
    spec("slo.snapshot", SNAPSHOT_EVERY_MS),
    spec("oncall.handoffs", Math.min(HANDOFF_CHECK_MAX_MS, evalEveryMs)),
    spec("escalation.sweep", Math.min(ESCALATION_SWEEP_MAX_MS, evalEveryMs)),
    spec("receiver.sweep", Math.max(SWEEP_MIN_EVERY_MS, Math.min(RECEIVER_SWEEP_MAX_MS, evalEveryMs))),
    spec("sla.notify", evalEveryMs),
    spec("newsletter.send", Math.min(NEWSLETTER_CHECK_MAX_MS, evalEveryMs)),
    spec("stakeholders.notify", Math.min(STAKEHOLDER_CHECK_MAX_MS, evalEveryMs)),
    spec(
      "incident.channels",
      Math.max(SWEEP_MIN_EVERY_MS, Math.min(INCIDENT_CHANNEL_SWEEP_MAX_MS, evalEveryMs)),
    ),
  ];
}

/** The schedules that are missing or differ from what Redis holds (pure: the part worth a table test). */
export function schedulesToCreate(
  specs: ScheduleSpec[],
  existing: Map<string, { every?: number | string | null } | undefined>,
): ScheduleSpec[] {
  return specs.filter((s) => {
    const e = existing.get(s.id);
    return !e || Number(e.every) !== s.everyMs;
  });
}

/**
 * Idempotent: reads the schedulers and upserts only the missing ones, so a check every few seconds never moves
 * a running schedule (an upsert would re-align it), and several workers calling it still make one schedule.
 * Returns the ids it created.
 */
export async function ensureSchedules(queue: Queue, specs: ScheduleSpec[]): Promise<string[]> {
  const existing = new Map(
    await Promise.all(specs.map(async (s) => [s.id, await queue.getJobScheduler(s.id)] as const)),
  );
  const missing = schedulesToCreate(specs, existing);
  for (const s of missing)
    await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job, data: {}, opts: s.opts });
  return missing.map((s) => s.id);
}

/**
 * Whether every scheduler of `specs` is in Redis, in one round trip (BullMQ keeps the ids in the queue's
 * `repeat` sorted set): the cheap check a timer makes. It does not read their intervals; ensureSchedules does,
 * at start and after every reconnect.
 */
export async function schedulesPresent(redis: Redis, queue: Queue, specs: ScheduleSpec[]): Promise<boolean> {
  if (specs.length === 0) return true;
  const scores = await redis.zmscore(queue.keys.repeat!, ...specs.map((s) => s.id));
  return scores.every((score) => score !== null);
}
