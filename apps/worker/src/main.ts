import { QUEUE_NAME } from "@burnrate/jobs";
import { createDb } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import { createSlackSender } from "@burnrate/slack";
import { Redis } from "ioredis";
import pino from "pino";
import { loadWorkerConfig } from "./config";
import { createSmtpMailer } from "./jobs/escalation";
import { startWorker } from "./worker";

/** How long an unused Postgres connection stays open. */
const IDLE_CONNECTION_MS = 5 * MINUTE_MS;

const config = loadWorkerConfig();
const log = pino({
  level: config.LOG_LEVEL,
  base: { app: "worker" },
  redact: ["*.token", "*.SLACK_BOT_TOKEN", "*.SMTP_URL"],
});
// A dispatch or receiver job holds its advisory lock on one connection and queries on another. Connections
// stay open while idle for minutes, not pg's 10 s: the scheduled jobs of every minute then reuse them instead
// of opening new ones each time.
const db = createDb({
  databaseUrl: config.DATABASE_URL,
  poolSize: 2 * config.WORKER_CONCURRENCY + 4,
  idleTimeoutMs: IDLE_CONNECTION_MS,
});
// Reconnect attempts at most a second apart while Redis is down, so evaluation resumes soon after it returns.
const redis = new Redis(config.REDIS_URL, {
  maxRetriesPerRequest: null,
  retryStrategy: (times) => Math.min(times * 100, 1_000),
});
const slack = config.SLACK_BOT_TOKEN
  ? createSlackSender({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL })
  : null;
if (!slack)
  log.warn("SLACK_BOT_TOKEN is not set: alerts are recorded and shown in the UI, but not sent to Slack");
if (!config.BURNRATE_OPS_SLACK_CHANNEL)
  log.warn("BURNRATE_OPS_SLACK_CHANNEL is not set: a stalled evaluation shows in /readyz and /metrics only");
const mailer = config.SMTP_URL
  ? createSmtpMailer({ url: config.SMTP_URL, from: config.BURNRATE_EMAIL_FROM })
  : null;
if (!config.BURNRATE_SECRET_KEY)
  log.warn(
    "BURNRATE_SECRET_KEY is not set: receiver secrets are read as stored, unencrypted (refused in production)",
  );
if (!mailer) log.warn("SMTP_URL is not set: escalations reach people through Slack only, not by email");
const worker = await startWorker({
  config,
  db,
  redis,
  slack,
  mailer,
  log,
  now: Date.now,
  defaultMetrics: true,
});
log.info(
  {
    queue: QUEUE_NAME,
    concurrency: config.WORKER_CONCURRENCY,
    everyMs: config.BURNRATE_EVAL_EVERY_MS,
    port: worker.port,
  },
  "worker started",
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info({ signal }, "shutting down");
  await worker.close();
  mailer?.close();
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
