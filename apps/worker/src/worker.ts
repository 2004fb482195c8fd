import { createSecretBox, type Db } from "@burnrate/db";
import {
  BACKFILL_QUEUE_NAME,
  QUEUE_NAME,
  createJobQueues,
  dirtyServicesKey,
  hotServicesKey,
} from "@burnrate/jobs";
import type { SlackSender } from "@burnrate/slack";
import { MINUTE_MS } from "@burnrate/slo-core";
import { LoopDelay } from "@burnrate/telemetry";
import { DelayedError, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { JOBS, type JobName, type JobPayload } from "./catalog";
import { Consumer, IDLE_WAIT_S } from "./consumer";
import type { WorkerConfig } from "./config";
import type { JobContext } from "./job-context";
import { checkReadiness, startWorkerHttp, withTimeout } from "./http";
import { createBackfillJob } from "./jobs/backfill";
import { createDispatchJob } from "./jobs/dispatch";
import { createEscalateJob, createEscalationSweepJob, type Mailer } from "./jobs/escalation";
import { createEvaluateShardJob, createFastPass, createTickJob } from "./jobs/evaluate";
import { createIncidentChannelJob, createIncidentChannelSweepJob } from "./jobs/incident-channel";
import { createHandoffJob } from "./jobs/oncall";
import { createNewsletterJob } from "./jobs/newsletter";
import { createSlaNoticeJob } from "./jobs/sla";
import { createPolicyJob } from "./jobs/policy";
import {
  createReceiverDeliverJob,
  createReceiverSweepJob,
  createWebhookEventDeliverJob,
} from "./jobs/receivers";
import { createPeriodSnapshotJob } from "./jobs/period-snapshots";
import { createRetentionJob } from "./jobs/retention";
import { createStakeholderJob } from "./jobs/stakeholders";
import { createDispatchSweepJob } from "./jobs/sweep";
import { QUEUE_STATES, createWorkerMetrics, evaluationLagMs } from "./metrics";
import { createOutageLog, isConnectionError } from "./outages";
import { enqueueBusyJobs, ensureSchedules, gateEveryMs, scheduleSpecs, schedulesPresent } from "./schedules";
import { singleFlight } from "./single-flight";
import { isStalled, readLastCompletedCycle, reportRecovery, reportStall, type CycleInfo } from "./watchdog";

/** How long the event-loop delay is still sampled after a job ends. */
const WORKER_LOOP_IDLE_AFTER_MS = 100;

type Optional =
  | "BURNRATE_JOB_LOCK_MS"
  | "BURNRATE_WORKER_PORT"
  | "BURNRATE_WORKER_HOST"
  | "BURNRATE_OPS_SLACK_CHANNEL"
  | "BURNRATE_EVAL_STALL_MS"
  | "BURNRATE_SCHEDULE_CHECK_MS"
  | "BURNRATE_EVAL_LEASE_MS"
  | "BURNRATE_FAST_EVERY_MS"
  | "BURNRATE_BACKFILL_CONCURRENCY"
  | "BURNRATE_BACKFILL_RATE_MAX"
  | "BURNRATE_BACKFILL_RATE_MS"
  | "BURNRATE_RECEIVER_TIMEOUT_MS"
  | "BURNRATE_ALERTMANAGER_RESEND_MS"
  | "BURNRATE_SECRET_KEY"
  | "BURNRATE_SECRET_KEY_PREVIOUS"
  | "BURNRATE_PROMETHEUS_TIMEOUT_MS"
  | "BURNRATE_PROMETHEUS_RETRIES"
  | "BURNRATE_PROMETHEUS_NO_DATA_MINUTES";

export interface WorkerDeps {
  config: Pick<
    WorkerConfig,
    | "PUBLIC_URL"
    | "WORKER_CONCURRENCY"
    | "BURNRATE_EVAL_EVERY_MS"
    | "BURNRATE_EVAL_SHARD_SIZE"
    | "BURNRATE_QUEUE_PREFIX"
  > &
    /** BURNRATE_WORKER_PORT unset: no HTTP server (tests that do not need it). */
    Partial<Pick<WorkerConfig, Optional>>;
  db: Db;
  redis: Redis;
  slack: SlackSender | null;
  /** Email for escalation notices (SMTP_URL); null = no email channel. */
  mailer?: Mailer | null;
  log: Logger;
  now: () => number;
  /** Process metrics (memory, event loop) in /metrics; off in tests that run several workers in one process. */
  defaultMetrics?: boolean;
}

/** How long the start waits for Redis before it serves its endpoints anyway (schedules follow when it answers). */
const STARTUP_REDIS_WAIT_MS = 5_000;

function readyWithin(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, ms);
    redis.once("ready", onReady);
  });
}

/**
 * The backfill queue has no delayed jobs, so its consumer's wait is this long (BullMQ does not cap it then); a
 * backfill added meanwhile still wakes it at once.
 */
const BACKFILL_IDLE_WAIT_S = 30;
/** The fast pass's blocking wait for a marked service, at a time (s): a mark ends it at once. */
const FAST_WAIT_S = 30;

/**
 * Starts the queue consumers (evaluation and the rest; backfills apart, rate-limited), the job schedulers (kept
 * alive: re-created on every Redis reconnect and on a timer), the evaluation watchdog and the worker's HTTP
 * endpoints. Several workers on one Redis share the work.
 */
export async function startWorker(deps: WorkerDeps) {
  const { config, db, redis, log, now } = deps;
  const prefix = config.BURNRATE_QUEUE_PREFIX;
  const lockMs = config.BURNRATE_JOB_LOCK_MS ?? 30_000;
  const stallMs = config.BURNRATE_EVAL_STALL_MS ?? 180_000;
  const outages = createOutageLog(log);
  outages.watch(redis, "redis");
  const jobs = createJobQueues({ connection: redis, prefix });
  const { queues, enqueue } = jobs;
  const queue = queues[QUEUE_NAME];
  const backfillQueue = queues[BACKFILL_QUEUE_NAME];
  outages.watch(queue, "queue");
  outages.watch(backfillQueue, "backfill queue");
  const dispatch = createDispatchJob({ db, slack: deps.slack, publicUrl: config.PUBLIC_URL, now, log });
  const receiverDeps = {
    db,
    publicUrl: config.PUBLIC_URL,
    now,
    log,
    timeoutMs: config.BURNRATE_RECEIVER_TIMEOUT_MS,
    enqueue,
    secrets: createSecretBox(config.BURNRATE_SECRET_KEY, config.BURNRATE_SECRET_KEY_PREVIOUS),
  };
  const channelDeps = { db, slack: deps.slack, publicUrl: config.PUBLIC_URL, now, log };
  const prometheusOpts = {
    secrets: receiverDeps.secrets,
    ...(config.BURNRATE_PROMETHEUS_TIMEOUT_MS ? { timeoutMs: config.BURNRATE_PROMETHEUS_TIMEOUT_MS } : {}),
    ...(config.BURNRATE_PROMETHEUS_RETRIES !== undefined
      ? { retries: config.BURNRATE_PROMETHEUS_RETRIES }
      : {}),
    ...(config.BURNRATE_PROMETHEUS_NO_DATA_MINUTES
      ? { noDataMinutes: config.BURNRATE_PROMETHEUS_NO_DATA_MINUTES }
      : {}),
  };
  const handlers: Record<JobName, (payload: never, ctx: JobContext) => Promise<unknown>> = {
    "slo.tick": createTickJob({
      db,
      redis,
      enqueue,
      shardSize: config.BURNRATE_EVAL_SHARD_SIZE,
      everyMs: config.BURNRATE_EVAL_EVERY_MS,
      dirtyKey: dirtyServicesKey(prefix),
      now,
      log,
    }),
    "slo.evaluate": createEvaluateShardJob({
      db,
      enqueue,
      now,
      log,
      leaseMs: config.BURNRATE_EVAL_LEASE_MS,
      prometheus: prometheusOpts,
    }),
    "slo.backfill": createBackfillJob({ db, now, log, prometheus: prometheusOpts }),
    "rollups.retention": createRetentionJob({ db, now, log }),
    "slo.snapshot": createPeriodSnapshotJob({ db, now, log }),
    // Every event handed to Slack is handed to the team's receivers too (their own job, idempotent by event;
    // the receiver sweep makes up for a crash before this).
    "alert.dispatch": async (p: JobPayload<"alert.dispatch">) => {
      await enqueue("receiver.deliver", p);
      return dispatch(p);
    },
    "receiver.deliver": createReceiverDeliverJob(receiverDeps),
    "receiver.deliver-event": createWebhookEventDeliverJob(receiverDeps),
    "receiver.sweep": createReceiverSweepJob({
      ...receiverDeps,
      enqueue,
      resendMs: config.BURNRATE_ALERTMANAGER_RESEND_MS,
    }),
    "alert.sweep": createDispatchSweepJob({ db, enqueue, now, log }),
    "policy.evaluate": createPolicyJob({
      db,
      slack: deps.slack,
      publicUrl: config.PUBLIC_URL,
      now,
      log,
      enqueue,
    }),
    "oncall.handoffs": createHandoffJob({ db, slack: deps.slack, publicUrl: config.PUBLIC_URL, now, log }),
    "escalation.sweep": createEscalationSweepJob({ db, enqueue, now, log }),
    "sla.notify": createSlaNoticeJob({
      db,
      slack: deps.slack,
      mailer: deps.mailer ?? null,
      publicUrl: config.PUBLIC_URL,
      now,
      log,
    }),
    "newsletter.send": createNewsletterJob({
      db,
      slack: deps.slack,
      mailer: deps.mailer ?? null,
      publicUrl: config.PUBLIC_URL,
      now,
      log,
    }),
    "stakeholders.notify": createStakeholderJob({
      db,
      slack: deps.slack,
      mailer: deps.mailer ?? null,
      publicUrl: config.PUBLIC_URL,
      now,
      log,
    }),
    "incident.channel": createIncidentChannelJob(channelDeps),
    "incident.channels": createIncidentChannelSweepJob(channelDeps),
    "alert.escalate": createEscalateJob({
      db,
      slack: deps.slack,
      mailer: deps.mailer ?? null,
      enqueue,
      publicUrl: config.PUBLIC_URL,
      now,
      log,
    }),
  };
  // The repeatable jobs: their schedules (asserted below) and which of them run once at a time (`busyWhen`).
  const specs = scheduleSpecs(config.BURNRATE_EVAL_EVERY_MS);
  const gatedJobs = new Set<string>(specs.filter((s) => s.busyWhen !== undefined).map((s) => s.job));
  // The event-loop delay in /metrics is sampled while a job runs (and a moment after), not all the time. Jobs
  // come seconds apart, not in bursts as requests do: the API's 1 s tail after each (a wake-up every 20 ms)
  // was an eighth of an idle worker's CPU, so sampling stops 100 ms after the last job.
  const loopDelay = deps.defaultMetrics ? new LoopDelay({ idleAfterMs: WORKER_LOOP_IDLE_AFTER_MS }) : null;
  const processor = async (job: Job, token?: string) => {
    loopDelay?.enter();
    try {
      return await processJob(job, token);
    } finally {
      loopDelay?.leave();
    }
  };
  const processJob = async (job: Job, token?: string) => {
    const name = job.name as JobName;
    const spec = JOBS[name];
    if (!spec) throw new Error(`unknown job ${job.name}`);
    let parsed: { success: boolean; data?: unknown; error?: unknown } = spec.payload.safeParse(job.data);
    if (!parsed.success && "accepts" in spec && spec.accepts) {
      const older = spec.accepts.safeParse(job.data);
      if (older.success) parsed = older;
    }
    if (!parsed.success) throw parsed.error;
    // Delayed again under its own id: no second job of it can be added meanwhile, and its tries are kept.
    const runAgainIn = token
      ? async (delayMs: number): Promise<never> => {
          await job.moveToDelayed(Date.now() + delayMs, token);
          throw new DelayedError();
        }
      : undefined;
    const run = () => handlers[name](parsed.data as never, { jobId: job.id, runAgainIn });
    // A gated job is added once per slot of its period, so a run longer than the period would overlap the
    // next slot's (another worker, or this one's other consumers): one run at a time, the other has nothing to
    // do (the next slot's run takes up what is left).
    if (!gatedJobs.has(name)) return run();
    const r = await singleFlight(redis, `${prefix}:running:${name}`, run);
    return r.ran ? r.value : { skipped: "another run of this job was in progress" };
  };

  // Schedules live only in Redis: a Redis that restarted empty has none. Re-assert them (idempotently: only
  // the missing ones are created) at start, whenever the connection is ready again, and on a timer.
  let closing = false;
  // Redis not up within a few seconds (the worker started first): the "ready" handler below creates them when
  // it answers, and the worker's endpoints meanwhile answer /readyz 503 instead of not at all.
  if (await readyWithin(redis, STARTUP_REDIS_WAIT_MS))
    await ensureSchedules(queue, specs).catch((err: unknown) =>
      log.warn({ err: (err as Error).message }, "could not create the job schedulers yet; retrying"),
    );
  let asserting = false;
  const assertSchedules = async (why: string) => {
    if (closing || asserting || redis.status !== "ready") return;
    asserting = true;
    try {
      // The timer's check is one round trip while every scheduler is there (a reconnect reads them all).
      if (why === "periodic check" && (await withTimeout(schedulesPresent(redis, queue, specs), 10_000)))
        return;
      const created = await withTimeout(ensureSchedules(queue, specs), 10_000);
      if (created.length)
        log.warn({ created, why }, "job schedulers were missing (Redis lost them): re-created");
    } catch (err) {
      if (!isConnectionError(err))
        log.warn({ err: (err as Error).message }, "could not check the job schedulers");
    } finally {
      asserting = false;
    }
  };
  const onReady = () => {
    outages.up();
    void assertSchedules("reconnected");
  };
  redis.on("ready", onReady);
  const scheduleTimer = setInterval(
    () => void assertSchedules("periodic check"),
    config.BURNRATE_SCHEDULE_CHECK_MS ?? 30_000,
  );

  const workerConnection = redis.duplicate();
  outages.watch(workerConnection, "worker connection");
  const worker = new Consumer(QUEUE_NAME, processor, {
    connection: workerConnection,
    concurrency: config.WORKER_CONCURRENCY,
    prefix,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    drainDelay: IDLE_WAIT_S,
    // A job interrupted by repeated crashes is picked up again, not failed: the dispatch is idempotent.
    maxStalledCount: 50,
  });
  outages.watch(worker, "worker");
  const backfillConnection = redis.duplicate();
  outages.watch(backfillConnection, "backfill connection");
  // Backfills: their own slots and a rate limit over every worker, so a burst of thousands stays behind.
  const backfillWorker = new Consumer(BACKFILL_QUEUE_NAME, processor, {
    connection: backfillConnection,
    concurrency: config.BURNRATE_BACKFILL_CONCURRENCY ?? 2,
    limiter: {
      max: config.BURNRATE_BACKFILL_RATE_MAX ?? 10,
      duration: config.BURNRATE_BACKFILL_RATE_MS ?? 1000,
    },
    prefix,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    drainDelay: BACKFILL_IDLE_WAIT_S,
    maxStalledCount: 10,
  });
  outages.watch(backfillWorker, "backfill worker");
  for (const w of [worker, backfillWorker])
    w.on("failed", (job, err) =>
      log.warn(
        { job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message },
        "job failed",
      ),
    );

  // The watchdog: the last complete cycle comes from Postgres (it survives a Redis flush and a restart).
  const startedMs = now();
  const state: { last: CycleInfo | null; stalled: boolean } = { last: null, stalled: false };
  const slackDeps = {
    db,
    slack: deps.slack,
    channel: config.BURNRATE_OPS_SLACK_CHANNEL,
    log,
    publicUrl: config.PUBLIC_URL,
  };
  let watching: Promise<void> | null = null;
  const watchdogEveryMs = Math.min(10_000, Math.max(250, stallMs / 6));
  const watchdogPass = (opts: { timer?: boolean } = {}) => {
    // A cycle known to have completed this recently cannot be stalled before the next timer pass (the last
    // completion only moves forward): that pass reads Postgres when it could be.
    if (opts.timer && !state.stalled && state.last && now() + watchdogEveryMs - state.last.doneMs < stallMs)
      return Promise.resolve();
    return (watching ??= (async () => {
      try {
        const nowMs = now();
        state.last = (await withTimeout(readLastCompletedCycle(db, nowMs), 5_000)) ?? state.last;
        const lastDoneMs = state.last?.doneMs ?? null;
        state.stalled = isStalled({ nowMs, lastDoneMs, startedMs, stallMs });
        if (state.stalled) await reportStall(slackDeps, { nowMs, lastDoneMs, stallMs });
        else if (lastDoneMs !== null) await reportRecovery(slackDeps, { nowMs, lastDoneMs });
      } catch (err) {
        // Postgres is down (its /readyz check says so): the stall is judged on what was read last.
        if (state.last || now() - startedMs > stallMs)
          state.stalled = isStalled({
            nowMs: now(),
            lastDoneMs: state.last?.doneMs ?? null,
            startedMs,
            stallMs,
          });
        log.debug({ err: (err as Error).message }, "watchdog pass failed");
      } finally {
        watching = null;
      }
    })());
  };
  // The timer's pass comes when a stall could first be judged: stallMs after the last completed cycle (read
  // again then, since another worker may have completed one since), or every watchdogEveryMs while none is known
  // or while stalled; at least once a minute. A poll every watchdogEveryMs woke an idle worker 6 times a minute.
  let watchdogTimer: NodeJS.Timeout | undefined;
  const armWatchdog = () => {
    if (closing) return;
    const due = state.last && !state.stalled ? state.last.doneMs + stallMs - now() : 0;
    const wait = Math.min(MINUTE_MS, Math.max(watchdogEveryMs, due));
    watchdogTimer = setTimeout(() => void watchdogPass({ timer: true }).finally(armWatchdog), wait);
  };
  armWatchdog();
  worker.on("completed", (job) => {
    // A shard of a cycle done, or a cycle with no SLOs that the tick recorded itself.
    if (
      job.name === "slo.evaluate" ||
      (job.name === "slo.tick" && (job.returnvalue as { empty?: boolean } | null)?.empty)
    )
      void watchdogPass();
  });

  const vitals = {
    now,
    startedMs,
    lastCycleDoneMs: () => state.last?.doneMs ?? null,
    lastCycleDurationMs: () => (state.last ? state.last.doneMs - state.last.minuteMs : null),
    stalled: () => state.stalled,
  };
  const metrics = createWorkerMetrics(vitals, {
    defaultMetrics: loopDelay,
    sampleQueues: () => sampleQueues(),
  });
  // Read at scrape time: a Redis that hangs holds a scrape at most 2 s per queue (Prometheus waits 10 s).
  const sampleQueues = async () => {
    if (redis.status !== "ready") return;
    try {
      for (const [name, q] of Object.entries(queues)) {
        const counts = await withTimeout(q.getJobCounts(...QUEUE_STATES), 2_000);
        metrics.setQueueCounts(name, counts);
        if (name === BACKFILL_QUEUE_NAME)
          metrics.setBackfillBacklog(
            (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0),
          );
      }
    } catch {
      // Redis went away mid-sample: the outage is logged once by the connection's handler.
    }
  };

  // The fast pass between cycles (services with fresh server errors); off when the setting is unset or 0.
  const fastPass = createFastPass({ db, redis, enqueue, hotKey: hotServicesKey(prefix), now, log });
  let fastRunning: Promise<void> | null = null;
  const runFastPass = () => {
    // Checked before the pass starts: a pass that ended without awaiting would clear its slot before taking it.
    if (closing || redis.status !== "ready") return Promise.resolve();
    return (fastRunning ??= (async () => {
      try {
        await fastPass();
      } catch (err) {
        if (!isConnectionError(err)) log.warn({ err: (err as Error).message }, "fast pass failed");
      } finally {
        fastRunning = null;
      }
    })());
  };
  // The fast pass waits for ingest's marks instead of looking every few seconds: a connection of its own blocks
  // on the hot set (BZPOPMIN, FAST_WAIT_S at a time), so an idle worker sends one command per FAST_WAIT_S. A mark starts a pass at once; passes are at least BURNRATE_FAST_EVERY_MS
  // apart (marks made meanwhile wait in the set, and the next pass takes them all). Two workers pop different
  // services.
  const fastEveryMs = config.BURNRATE_FAST_EVERY_MS ?? 0;
  const fastConnection = fastEveryMs > 0 ? redis.duplicate() : null;
  if (fastConnection) outages.watch(fastConnection, "fast pass connection");
  const hotKey = hotServicesKey(prefix);
  // The cool-down between passes ends early when the worker closes.
  let wakeFast: (() => void) | null = null;
  const coolDown = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wakeFast = () => (clearTimeout(t), resolve());
    });
  const fastLoop = fastConnection
    ? (async () => {
        let lastPassMs = 0;
        while (!closing) {
          const waitMs = lastPassMs + fastEveryMs - Date.now();
          if (waitMs > 0) {
            await coolDown(waitMs);
            continue;
          }
          let popped: [string, string, string] | null;
          try {
            popped = await fastConnection.bzpopmin(hotKey, FAST_WAIT_S);
          } catch {
            // Redis away (its outage is logged by the connection's handler) or the worker closing.
            if (!closing) await coolDown(1_000);
            continue;
          }
          if (!popped) continue;
          lastPassMs = Date.now();
          loopDelay?.touch();
          try {
            await fastPass({ [popped[1]]: Number(popped[2]) });
          } catch (err) {
            if (!isConnectionError(err)) log.warn({ err: (err as Error).message }, "fast pass failed");
          }
        }
      })()
    : null;
  // The gated jobs (schedules.ts): one query per look; a job is added only while it has something to do.
  const gateAdded = new Map<string, number>();
  let gating: Promise<void> | null = null;
  let gateError: string | null = null;
  const runGate = () => {
    if (closing || redis.status !== "ready") return Promise.resolve();
    return (gating ??= (async () => {
      try {
        // Slots of real time, as a job scheduler's (the injected clock is the jobs' business).
        gateBusy = (await enqueueBusyJobs(db, queue, specs, Date.now(), gateAdded)).busy > 0;
        gateError = null;
      } catch (err) {
        // Said once per kind of failure, not every few seconds while Postgres is away.
        const message = (err as Error).message;
        if (!isConnectionError(err) && message !== gateError)
          log.warn({ err: message }, "could not look for the gated jobs' work; looking again");
        gateError = message;
      } finally {
        gating = null;
      }
    })());
  };
  // Each look schedules the next: at the busy pace while any gated job has work, slower while none has.
  const gatePace = gateEveryMs(specs);
  let gateBusy = true;
  let gateTimer: NodeJS.Timeout | null = null;
  const nextGate = () => {
    if (closing || !gatePace) return;
    gateTimer = setTimeout(
      () => void runGate().finally(nextGate),
      gateBusy ? gatePace.busyMs : gatePace.idleMs,
    );
  };
  void watchdogPass();
  void runGate().finally(nextGate);

  const readiness = () =>
    checkReadiness({ db, redis, stalled: () => state.stalled, lagMs: () => evaluationLagMs(vitals) });
  // A port that is taken costs the endpoints, not the evaluation: logged, and the worker works on.
  const server =
    config.BURNRATE_WORKER_PORT === undefined
      ? null
      : await startWorkerHttp({
          port: config.BURNRATE_WORKER_PORT,
          host: config.BURNRATE_WORKER_HOST ?? "127.0.0.1",
          registry: metrics.registry,
          readiness,
        }).catch((err: unknown) => {
          log.error(
            { port: config.BURNRATE_WORKER_PORT, err: (err as Error).message },
            "worker HTTP endpoints (/healthz, /readyz, /metrics) could not listen; evaluating without them",
          );
          return null;
        });
  return {
    queue,
    backfillQueue,
    worker,
    backfillWorker,
    metrics,
    /** The HTTP port (null without a server). */
    port: server?.port ?? null,
    readiness,
    /** Runs a fast pass now (tests; the timer runs them on its own when BURNRATE_FAST_EVERY_MS is set). */
    fastPass: runFastPass,
    /** Runs a watchdog pass now (tests; the timer runs them on its own). */
    watchdogPass,
    /** Looks for the gated jobs' work now and adds those that have some (tests; the timer does it on its own). */
    gate: runGate,
    async close() {
      closing = true;
      loopDelay?.stop();
      clearInterval(scheduleTimer);
      clearTimeout(watchdogTimer);
      if (gateTimer) clearTimeout(gateTimer);
      redis.off("ready", onReady);
      await server?.close();
      await Promise.all([worker.close(), backfillWorker.close()]);
      await watching;
      await fastRunning;
      fastConnection?.disconnect();
      (wakeFast as (() => void) | null)?.();
      await fastLoop;
      await gating;
      await jobs.close();
      workerConnection.disconnect();
      backfillConnection.disconnect();
    },
  };
}
