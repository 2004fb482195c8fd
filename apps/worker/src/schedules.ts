import { sqlRows, type Db } from "@burnrate/db";
import type { JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import { JOBS, type ScheduledJobName } from "./catalog";
import { ESCALATION_BUSY_SQL } from "./jobs/escalation/escalation-sweep";
import { RECEIVERS_BUSY_SQL } from "./jobs/receivers/sweep";
import { SNAPSHOT_EVERY_MS } from "./jobs/period-snapshots";
import { RETENTION_EVERY_MS } from "./jobs/retention";

export interface ScheduleSpec {
  /** The scheduler's id, from the catalog. */
  id: string;
  everyMs: number;
  job: ScheduledJobName;
  opts: JobsOptions;
  /**
   * A gated job: an SQL condition that is false only when the job has nothing to do (the tables it works from
   * hold nothing for it). Such a job has no BullMQ job scheduler: every worker's gate (`enqueueBusyJobs`)
   * looks at all the conditions in one query and adds the job for the current slot while its condition holds,
   * so an installation with no alerts, incidents, receivers, schedules, SLAs, policies or newsletters runs none
   * of them. Unset: a BullMQ job scheduler runs the job every `everyMs`, whatever.
   */
  busyWhen?: string;
}

/**
 * When each gated job can have work, for the jobs whose own first read is not already such a probe. Each is a
 * superset of the job's work: the job reads nothing else that could make it act.
 */
const BUSY_WHEN: Partial<Record<ScheduledJobName, string>> = {
  // Events to dispatch: the sweep reads alert events only.
  "alert.sweep": "EXISTS (SELECT 1 FROM alert_events)",
  // Policies evaluate, enact, close and remind per policy: nothing without one.
  "policy.evaluate": "EXISTS (SELECT 1 FROM error_budget_policies)",
  // Hand-offs are announced per schedule.
  "oncall.handoffs": "EXISTS (SELECT 1 FROM schedules)",
  "escalation.sweep": ESCALATION_BUSY_SQL,
  "receiver.sweep": RECEIVERS_BUSY_SQL,
  // Notices per SLA.
  "sla.notify": "EXISTS (SELECT 1 FROM slas)",
  // Issues per enabled newsletter setting (the org's and each team's).
  "newsletter.send": "EXISTS (SELECT 1 FROM newsletter_settings WHERE enabled)",
  // Ring rules, bracket deliveries and overdue-update reminders all start from incidents and their messages.
  "stakeholders.notify":
    "EXISTS (SELECT 1 FROM incidents) OR EXISTS (SELECT 1 FROM stakeholder_notifications)",
  // Channels of open (or lately resolved) incidents.
  "incident.channels": "EXISTS (SELECT 1 FROM incidents)",
};

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
    ...(BUSY_WHEN[job] ? { busyWhen: BUSY_WHEN[job] } : {}),
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

/** The jobs BullMQ job schedulers run (the others are gated). */
const scheduledOnly = (specs: ScheduleSpec[]) => specs.filter((s) => s.busyWhen === undefined);

/** The schedules that are missing or differ from what Redis holds (pure: the part worth a table test). */
export function schedulesToCreate(
  specs: ScheduleSpec[],
  existing: Map<string, { every?: number | string | null } | undefined>,
): ScheduleSpec[] {
  return scheduledOnly(specs).filter((s) => {
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
  // A gated job's scheduler left by an earlier release (which scheduled every job) would run it regardless.
  for (const s of specs)
    if (s.busyWhen !== undefined && existing.get(s.id)) await queue.removeJobScheduler(s.id);
  return missing.map((s) => s.id);
}

/**
 * The gate of the gated jobs: one query reads every condition; each job whose condition holds is added for the
 * current slot of its period (`<scheduler id>-<slot start ms>`), deduplicated by BullMQ for the slot's length,
 * so that several workers' gates, and a gate that looks several times within a slot, still add one run per
 * slot. `added` remembers the slots this worker already added (one Redis call saved per look). Returns the ids
 * of the jobs it asked BullMQ to add, and how many jobs have work.
 */
export async function enqueueBusyJobs(
  db: Db,
  queue: Queue,
  specs: ScheduleSpec[],
  nowMs: number,
  added: Map<string, number> = new Map(),
): Promise<{ added: string[]; busy: number }> {
  const gated = specs.filter((s) => s.busyWhen !== undefined);
  if (gated.length === 0) return { added: [], busy: 0 };
  // Plain pg (sqlRows), not the ORM: the look runs every few seconds on every worker, busy or not.
  const [row] = await sqlRows<Record<string, boolean>>(
    db,
    `SELECT ${gated.map((s, i) => `(${s.busyWhen}) AS b${i}`).join(", ")}`,
  );
  const ids: string[] = [];
  let busy = 0;
  for (const [i, s] of gated.entries()) {
    if (!row?.[`b${i}`]) continue;
    busy++;
    const slot = Math.floor(nowMs / s.everyMs) * s.everyMs;
    if (added.get(s.id) === slot) continue;
    const jobId = `${s.id}-${slot}`;
    await queue.add(s.job, {}, { ...s.opts, jobId, deduplication: { id: jobId, ttl: s.everyMs } });
    added.set(s.id, slot);
    ids.push(jobId);
  }
  return { added: ids, busy };
}

/** The gate looks this much less often while no gated job has work, and at most this far apart. */
const GATE_IDLE_FACTOR = 3;
const GATE_IDLE_MAX_MS = 15_000;

/**
 * How often the gate looks: as often as the most frequent gated job's period while any gated job has work, and
 * GATE_IDLE_FACTOR times less often (at most 15 s, never less often than that period) while none has: the
 * first run of a job in an installation that just got work for it waits up to that long (15 s by default; the
 * escalation of a firing alert starts with the alert, the sweep is its safety net).
 */
export function gateEveryMs(specs: ScheduleSpec[]): { busyMs: number; idleMs: number } | null {
  const periods = specs.filter((s) => s.busyWhen !== undefined).map((s) => s.everyMs);
  if (periods.length === 0) return null;
  const busyMs = Math.min(...periods);
  return { busyMs, idleMs: Math.max(busyMs, Math.min(GATE_IDLE_MAX_MS, GATE_IDLE_FACTOR * busyMs)) };
}

/**
 * Whether every scheduler of `specs` is in Redis, in one round trip (BullMQ keeps the ids in the queue's
 * `repeat` sorted set): the cheap check a timer makes. It does not read their intervals; ensureSchedules does,
 * at start and after every reconnect.
 */
export async function schedulesPresent(redis: Redis, queue: Queue, specs: ScheduleSpec[]): Promise<boolean> {
  const scheduled = scheduledOnly(specs);
  if (scheduled.length === 0) return true;
  const scores = await redis.zmscore(queue.keys.repeat!, ...scheduled.map((s) => s.id));
  return scores.every((score) => score !== null);
}
