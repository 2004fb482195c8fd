import { collectProcessMetrics, type LoopDelay } from "@burnrate/telemetry";
import { Counter, Gauge, Registry } from "prom-client";

/**
 * Slack deliveries that failed (an attempt that threw: Slack answered an error, or did not answer). The dispatch
 * code increments it (`slackDeliveryFailures.inc()`, optionally with a `reason` such as the Slack error code);
 * every worker's registry exposes it as `burnrate_slack_delivery_failures_total`.
 */
export const slackDeliveryFailures = new Counter({
  name: "burnrate_slack_delivery_failures_total",
  help: "Slack deliveries that failed (attempts that threw), by reason",
  labelNames: ["reason"] as const,
  registers: [],
});

export const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "failed"] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** What the gauges read when scraped (the worker keeps these up to date). */
export interface WorkerVitals {
  now(): number;
  /** When the last complete evaluation cycle finished (its last shard), or null if none is known. */
  lastCycleDoneMs(): number | null;
  lastCycleDurationMs(): number | null;
  /** The worker's start: the lag is counted from here while no cycle is known. */
  startedMs: number;
  stalled(): boolean;
}

/** The worker's Prometheus registry: evaluation lag and duration, queue depths, backfill backlog, Slack failures. */
export function createWorkerMetrics(
  vitals: WorkerVitals,
  opts: {
    /** prom-client's default metrics, the event-loop delay read from this (sampled while jobs run). */
    defaultMetrics?: LoopDelay | null;
    /** Reads the queue depths into the gauges (setQueueCounts, setBackfillBacklog): once per scrape. */
    sampleQueues?: () => Promise<void>;
  } = {},
) {
  const registry = new Registry();
  // Queue depths are read when scraped (one read shared by both gauges of a scrape), not on a timer: a worker
  // nobody scrapes reads nothing.
  let sampling: Promise<void> | null = null;
  const sample = async () => {
    if (!opts.sampleQueues) return;
    await (sampling ??= opts.sampleQueues().finally(() => (sampling = null)));
  };
  // The event-loop delay is sampled while jobs run, not on a timer for the process's life: an idle worker sleeps.
  if (opts.defaultMetrics) collectProcessMetrics(registry, "burnrate_worker_", opts.defaultMetrics);
  registry.registerMetric(slackDeliveryFailures);
  new Gauge({
    name: "burnrate_evaluation_lag_seconds",
    help: "Seconds since the last evaluation cycle completed (every shard evaluated)",
    registers: [registry],
    collect() {
      this.set(evaluationLagMs(vitals) / 1000);
    },
  });
  new Gauge({
    name: "burnrate_evaluation_last_cycle_duration_seconds",
    help: "Seconds from the start of the last completed cycle to the end of its last shard",
    registers: [registry],
    collect() {
      const d = vitals.lastCycleDurationMs();
      if (d !== null) this.set(d / 1000);
    },
  });
  new Gauge({
    name: "burnrate_evaluation_stalled",
    help: "1 while no evaluation cycle completed within BURNRATE_EVAL_STALL_MS",
    registers: [registry],
    collect() {
      this.set(vitals.stalled() ? 1 : 0);
    },
  });
  const queueJobs = new Gauge({
    name: "burnrate_queue_jobs",
    help: "Jobs per queue and state (read when scraped, while Redis is up)",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    collect: sample,
  });
  const backfillBacklog = new Gauge({
    name: "burnrate_backfill_backlog",
    help: "Backfill jobs not yet finished (waiting, delayed, prioritized or active)",
    registers: [registry],
    collect: sample,
  });
  return {
    registry,
    setQueueCounts(queue: string, counts: Partial<Record<QueueState, number>>) {
      for (const state of QUEUE_STATES) queueJobs.set({ queue, state }, counts[state] ?? 0);
    },
    setBackfillBacklog(n: number) {
      backfillBacklog.set(n);
    },
  };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** Now minus the end of the last completed cycle (or the worker's start, when no cycle is known). */
export function evaluationLagMs(v: Pick<WorkerVitals, "now" | "lastCycleDoneMs" | "startedMs">): number {
  return Math.max(0, v.now() - (v.lastCycleDoneMs() ?? v.startedMs));
}
