import type { JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, type ScheduledJobName } from "./catalog";
import { RETENTION_EVERY_MS } from "./jobs/retention";

export interface ScheduleSpec {
  /** The scheduler's id, from the catalog. */
  id: string;
  everyMs: number;
  job: ScheduledJobName;
  opts: JobsOptions;
}

/** A sweep that a `sweeps.run` job runs when its own period is due. */
export interface GroupedSweep {
  job: ScheduledJobName;
  everyMs: number;
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
 * The periodic sweeps (safety nets and clock-driven notices, each cheap when there is nothing to do) and their
 * periods. The escalation sweep comes first: its period, the shortest, is the period of `sweeps.run`.
 */
function sweepPeriods(evalEveryMs: number): GroupedSweep[] {
  return [
    { job: "escalation.sweep", everyMs: Math.min(ESCALATION_SWEEP_MAX_MS, evalEveryMs) },
    { job: "alert.sweep", everyMs: Math.max(SWEEP_MIN_EVERY_MS, evalEveryMs) },
    { job: "oncall.handoffs", everyMs: Math.min(HANDOFF_CHECK_MAX_MS, evalEveryMs) },
    {
      job: "receiver.sweep",
      everyMs: Math.max(SWEEP_MIN_EVERY_MS, Math.min(RECEIVER_SWEEP_MAX_MS, evalEveryMs)),
    },
    { job: "sla.notify", everyMs: evalEveryMs },
    { job: "newsletter.send", everyMs: Math.min(NEWSLETTER_CHECK_MAX_MS, evalEveryMs) },
    { job: "stakeholders.notify", everyMs: Math.min(STAKEHOLDER_CHECK_MAX_MS, evalEveryMs) },
    {
      job: "incident.channels",
      everyMs: Math.max(SWEEP_MIN_EVERY_MS, Math.min(INCIDENT_CHANNEL_SWEEP_MAX_MS, evalEveryMs)),
    },
  ];
}

/**
 * The worker's schedules: the job schedulers (the period of each scheduled job of the catalog, whose entry
 * gives the scheduler's id and the job's options) and the sweeps that the `sweeps.run` scheduler runs. Every
 * sweep whose period is a multiple of the escalation sweep's rides on that one scheduler (one BullMQ job per
 * slot, however many sweeps are due in it); another gets a scheduler of its own. Schedulers live only in Redis,
 * so they are re-created whenever Redis lost them.
 */
export function workerSchedules(evalEveryMs: number): { specs: ScheduleSpec[]; grouped: GroupedSweep[] } {
  const spec = (job: ScheduledJobName, everyMs: number): ScheduleSpec => ({
    id: JOBS[job].scheduler,
    everyMs,
    job,
    opts: JOBS[job].opts,
  });
  const sweeps = sweepPeriods(evalEveryMs);
  const groupEveryMs = sweeps[0]!.everyMs;
  const grouped = sweeps.filter((s) => s.everyMs % groupEveryMs === 0);
  const own = sweeps.filter((s) => s.everyMs % groupEveryMs !== 0);
  return {
    specs: [
      spec("slo.tick", evalEveryMs),
      spec("policy.evaluate", evalEveryMs),
      spec("rollups.retention", RETENTION_EVERY_MS),
      spec("sweeps.run", groupEveryMs),
      ...own.map((s) => spec(s.job, s.everyMs)),
    ],
    grouped,
  };
}

/** The worker's job schedulers (see workerSchedules). */
export function scheduleSpecs(evalEveryMs: number): ScheduleSpec[] {
  return workerSchedules(evalEveryMs).specs;
}

/**
 * The grouped sweeps due in the `sweeps.run` slot at `slotMs` (slots `groupEveryMs` apart): those with a
 * multiple of their period in (previous slot, this slot], so each runs once per period, as a scheduler of its
 * own would run it.
 */
export function sweepsDue(grouped: GroupedSweep[], groupEveryMs: number, slotMs: number): ScheduledJobName[] {
  return grouped
    .filter((s) => Math.floor(slotMs / s.everyMs) > Math.floor((slotMs - groupEveryMs) / s.everyMs))
    .map((s) => s.job);
}

/** The slot of a scheduled run, from its BullMQ id (`repeat:<scheduler>:<slot ms>`); null for another id. */
export function slotOfJobId(jobId: string | undefined): number | null {
  const m = /^repeat:[^:]+:(\d+)$/.exec(jobId ?? "");
  return m ? Number(m[1]) : null;
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
 * A scheduler of the catalog that `specs` leaves out (a sweep that now rides on `sweeps.run`) is removed, so
 * that it does not run twice. Returns the ids it created.
 */
export async function ensureSchedules(queue: Queue, specs: ScheduleSpec[]): Promise<string[]> {
  const existing = new Map(
    await Promise.all(specs.map(async (s) => [s.id, await queue.getJobScheduler(s.id)] as const)),
  );
  const missing = schedulesToCreate(specs, existing);
  for (const s of missing)
    await queue.upsertJobScheduler(s.id, { every: s.everyMs }, { name: s.job, data: {}, opts: s.opts });
  const wanted = new Set(specs.map((s) => s.id));
  for (const spec of Object.values(JOBS))
    if ("scheduler" in spec && !wanted.has(spec.scheduler) && (await queue.getJobScheduler(spec.scheduler)))
      await queue.removeJobScheduler(spec.scheduler);
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
