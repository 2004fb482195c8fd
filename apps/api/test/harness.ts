import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createDb, type Db } from "@burnrate/db";
import { createTestDatabase } from "@burnrate/db/test-db";
import { BACKFILL_QUEUE_NAME, QUEUE_NAME, createJobQueues } from "@burnrate/jobs";
import { createSlackSender } from "@burnrate/slack";
import { FakeSlack } from "@burnrate/slack/testing";
import { createSmtpMailer } from "@burnrate/worker/escalation";
import { startWorker } from "@burnrate/worker/worker";
import type { Queue } from "bullmq";
import type { FastifyInstance } from "fastify";
import { Redis } from "ioredis";
import pino from "pino";
import { buildApp } from "../src/app";
import { loadApiConfig } from "../src/config";
import { bootstrapAdmin } from "../src/services/bootstrap";
import { apiLoggerOptions } from "../src/logging";
import { checkAgainstOpenApi, recordResponses, type LiveResponse } from "./openapi-responses";

export const PG_BASE_URL =
  process.env.BURNRATE_TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgresql://postgres@127.0.0.1:5432/postgres";
/** Receiver secrets are sealed at rest in tests too: the API and the worker share this key. */
export const TEST_SECRET_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export interface Stack {
  app: FastifyInstance;
  baseUrl: string;
  db: Db;
  redis: Redis;
  slack: FakeSlack;
  token: string;
  admin: { email: string; password: string };
  /** Every HTTP status the API answered, to assert that none was a 5xx. */
  statuses: number[];
  /** The stack's own BullMQ key prefix (for a worker started as a separate process). */
  prefix: string;
  databaseUrl: string;
  redisUrl: string;
  /** The main BullMQ queue of the stack's prefix (the API's producer side). */
  queue: Queue;
  /** The worker's own HTTP port (/healthz, /readyz, /metrics) when asked for with `workerHttp`. */
  workerPort: number | null;
  /** Every answer the API sent (with `checkOpenApi`); `stop()` checks each against the OpenAPI document. */
  answers: LiveResponse[];
  stop(): Promise<void>;
}

/**
 * A real stack on real Postgres and Redis: a freshly migrated database of its own, a queue prefix of its own,
 * the API listening on a random port, optionally the worker, and a fake Slack Web API server.
 */
export async function startStack(
  opts: {
    worker?: boolean;
    evalEveryMs?: number;
    /** The worker's fast pass (BURNRATE_FAST_EVERY_MS): off unless given. */
    fastEveryMs?: number;
    slackToken?: string | null;
    now?: () => number;
    port?: number;
    webDist?: string;
    /**
     * Record every answer and check it against the OpenAPI document when the stack stops (a mismatch throws).
     * On by default in tests (vitest); off for the long-running stacks of the browser tests, chaos and benches.
     */
    checkOpenApi?: boolean;
    /** The worker also serves /healthz, /readyz and /metrics on a free port (Stack.workerPort). */
    workerHttp?: boolean;
    /** Extra API environment (e.g. SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN). */
    apiEnv?: Record<string, string>;
    /** A Redis of the test's own (one it may kill), instead of the shared one. */
    redisUrl?: string;
    /** A PostgreSQL server of the test's own (its `postgres` database URL), instead of the shared one. */
    pgBaseUrl?: string;
    /** The worker sends escalation emails to this SMTP server (e.g. a test's smtp-server sink). */
    smtpUrl?: string;
    /** The API logs here, as in production (its redaction and serializers) at debug level, instead of nowhere. */
    apiLog?: NodeJS.WritableStream;
  } = {},
): Promise<Stack> {
  const testDb = await createTestDatabase(opts.pgBaseUrl ?? PG_BASE_URL);
  const prefix = `t${randomBytes(4).toString("hex")}`;
  const token = `brt_test_${randomBytes(16).toString("hex")}`;
  const admin = { email: `admin-${prefix}@example.com`, password: "correct horse battery" };
  const slack = new FakeSlack();
  const slackUrl = await slack.start();
  const redisUrl = opts.redisUrl ?? REDIS_URL;
  const config = loadApiConfig({
    DATABASE_URL: testDb.databaseUrl,
    REDIS_URL: redisUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    BURNRATE_QUEUE_PREFIX: prefix,
    BURNRATE_INGEST_MAX_BYTES: String(4 * 1024 * 1024),
    PUBLIC_URL: opts.port ? `http://127.0.0.1:${opts.port}` : "http://burnrate.test",
    ...(opts.webDist ? { BURNRATE_WEB_DIST: opts.webDist } : {}),
    SLACK_API_URL: slackUrl,
    // The API shares this process with the test runner: its memory is not the API's alone.
    BURNRATE_INGEST_MAX_MEMORY_MB: "65536",
    BURNRATE_INGEST_MAX_EVENT_LOOP_LAG_MS: "0",
    BURNRATE_SECRET_KEY: TEST_SECRET_KEY,
    ...opts.apiEnv,
  });
  const db = createDb({ databaseUrl: testDb.databaseUrl, poolSize: 8 });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  redis.on("error", () => undefined); // a test that kills its own Redis expects the errors
  await bootstrapAdmin(db, { adminEmail: admin.email, adminPassword: admin.password, bootstrapToken: token });
  const jobs = createJobQueues({ connection: redis, prefix });
  const app = await buildApp({
    config,
    db,
    redis,
    enqueue: jobs.enqueue,
    logger: opts.apiLog ? { ...apiLoggerOptions("debug"), stream: opts.apiLog } : false,
    now: opts.now,
  });
  const statuses: number[] = [];
  const answers: LiveResponse[] = [];
  const checkOpenApi = opts.checkOpenApi ?? process.env.VITEST === "true";
  if (checkOpenApi) recordResponses(app, answers);
  app.addHook("onResponse", async (_req, reply) => void statuses.push(reply.statusCode));
  await app.listen({ port: opts.port ?? 0, host: "127.0.0.1" });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
  if (opts.worker) {
    const slackToken = opts.slackToken === undefined ? "xoxb-test" : opts.slackToken;
    worker = await startWorker({
      config: {
        PUBLIC_URL: baseUrl,
        WORKER_CONCURRENCY: 4,
        BURNRATE_EVAL_EVERY_MS: opts.evalEveryMs ?? 1000,
        BURNRATE_EVAL_SHARD_SIZE: 50,
        BURNRATE_QUEUE_PREFIX: prefix,
        BURNRATE_SECRET_KEY: TEST_SECRET_KEY,
        ...(opts.workerHttp ? { BURNRATE_WORKER_PORT: 0 } : {}),
        ...(opts.fastEveryMs ? { BURNRATE_FAST_EVERY_MS: opts.fastEveryMs } : {}),
      },
      db,
      redis,
      slack: slackToken ? createSlackSender({ token: slackToken, apiUrl: slackUrl }) : null,
      mailer: opts.smtpUrl ? createSmtpMailer({ url: opts.smtpUrl, from: "Burnrate <burnrate@test>" }) : null,
      log: pino({ level: process.env.TEST_LOG ?? "silent" }),
      now: opts.now ?? Date.now,
    });
  }
  return {
    app,
    baseUrl,
    db,
    redis,
    slack,
    token,
    admin,
    statuses,
    prefix,
    databaseUrl: testDb.databaseUrl,
    redisUrl,
    queue: jobs.queues[QUEUE_NAME],
    workerPort: worker?.port ?? null,
    answers,
    async stop() {
      const check = checkOpenApi ? checkAgainstOpenApi(app, answers) : null;
      if (worker) {
        await worker.queue.removeJobScheduler("slo-tick").catch(() => undefined);
        await worker.queue.obliterate({ force: true }).catch(() => undefined);
        await worker.close();
      }
      await app.close();
      await jobs.queues[BACKFILL_QUEUE_NAME].obliterate({ force: true }).catch(() => undefined);
      await jobs.close();
      await slack.stop();
      redis.disconnect();
      await db.$disconnect();
      await testDb.drop();
      check?.throwOnMismatch();
    },
  };
}

/** JSON request with the stack's admin token. */
export async function call(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await stack.app.inject({
    method: method as "GET",
    url: path,
    headers: {
      authorization: `Bearer ${stack.token}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return {
    status: res.statusCode,
    body: res.body ? (JSON.parse(res.body) as Record<string, any>) : null,
    headers: res.headers,
  };
}

export function ndjson(records: object[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 250,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
