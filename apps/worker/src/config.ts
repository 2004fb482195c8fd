import { MINUTE_MS } from "@burnrate/slo-core";
import { secretKeySettingsProblems } from "@burnrate/db";
import { z } from "zod";

export const WorkerConfig = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),
  PUBLIC_URL: z.string().url().default("http://localhost:8080"),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: z.string().url().optional(),
  /** SMTP server for escalation emails (`smtp://user:pass@host:587`, `smtps://…`); unset = no email channel. */
  SMTP_URL: z.string().url().optional(),
  /** The sender of escalation emails. */
  BURNRATE_EMAIL_FROM: z.string().min(3).default("Burnrate <burnrate@localhost>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How often every SLO is evaluated. */
  BURNRATE_EVAL_EVERY_MS: z.coerce.number().int().min(1000).default(MINUTE_MS),
  /**
   * Between cycles, the SLOs of services with fresh server errors are evaluated this often (the fast pass: a
   * page within seconds of its fast tier's condition). 0 turns it off (pages then wait for the cycle).
   */
  BURNRATE_FAST_EVERY_MS: z.coerce
    .number()
    .int()
    .refine((n) => n === 0 || n >= 1000, "0 (off) or at least 1000")
    .default(5_000),
  /** SLOs per evaluation job; shards spread the cycle over all workers. */
  BURNRATE_EVAL_SHARD_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  BURNRATE_QUEUE_PREFIX: z.string().min(1).default("bull"),
  /** A killed worker's active jobs go back to the queue after this long (BullMQ lock and stall check). */
  BURNRATE_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** The worker's own HTTP port: /healthz, /readyz, /metrics (0 = any free port). */
  BURNRATE_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  BURNRATE_WORKER_HOST: z.string().min(1).default("0.0.0.0"),
  /** Slack channel (id or name) where Burnrate reports its own trouble: a stalled evaluation and its recovery. */
  BURNRATE_OPS_SLACK_CHANNEL: z.string().min(1).optional(),
  /** No evaluation cycle completed for this long = stalled: /readyz 503 and a message to the ops channel. */
  BURNRATE_EVAL_STALL_MS: z.coerce.number().int().min(1000).default(180_000),
  /** How often the job schedulers are checked and re-created if Redis lost them (also on every reconnect). */
  BURNRATE_SCHEDULE_CHECK_MS: z.coerce.number().int().min(500).default(30_000),
  /** How long an evaluation claim holds before another shard job may take it over. */
  BURNRATE_EVAL_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  /** Backfills run at most this many at a time per worker, and at most RATE_MAX per RATE_MS per queue. */
  BURNRATE_BACKFILL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  BURNRATE_BACKFILL_RATE_MAX: z.coerce.number().int().min(1).default(10),
  BURNRATE_BACKFILL_RATE_MS: z.coerce.number().int().min(1).default(1000),
  /** One call to a receiver (Alertmanager, PagerDuty, Opsgenie, webhook) times out after this. */
  BURNRATE_RECEIVER_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** A firing alert is posted to Alertmanager again this often (keep it below Alertmanager's resolve_timeout). */
  BURNRATE_ALERTMANAGER_RESEND_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** One PromQL query of a Prometheus-sourced SLO times out after this; it is tried again RETRIES times. */
  BURNRATE_PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  BURNRATE_PROMETHEUS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** A Prometheus-sourced SLO without data for this long gets a no-data alert (an SLO's own setting wins). */
  BURNRATE_PROMETHEUS_NO_DATA_MINUTES: z.coerce.number().int().min(1).max(1440).default(5),
  /** Encrypts receiver secrets at rest (AES-256-GCM); required when NODE_ENV=production. */
  BURNRATE_SECRET_KEY: z.string().optional(),
  /** Older keys, comma-separated: they only open secrets sealed before a key rotation. */
  BURNRATE_SECRET_KEY_PREVIOUS: z.string().optional(),
  NODE_ENV: z.string().optional(),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = WorkerConfig.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  const d = parsed.data;
  const problems = secretKeySettingsProblems(d);
  if (problems.length) throw new Error(`invalid configuration:\n${problems.join("\n")}`);
  return parsed.data;
}
