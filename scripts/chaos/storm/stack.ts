/**
 * The storm's stack, all on loopback: a redis-server and a PostgreSQL of the run's own (lib.ts) with a migrated
 * database, the fake Slack in this process, the API and two workers as child processes started again whenever
 * they exit. Each part's cleanup goes into `cleanups` as soon as it runs (the caller runs them in reverse).
 */
import { randomBytes } from "node:crypto";
// Relative imports: the root package does not depend on the workspace packages.
import { createDb, type Db } from "../../../packages/db/src/index.ts";
import { createTestDatabase } from "../../../packages/db/src/test-db.ts";
import { FakeSlack } from "../../../packages/slack/src/testing/fake-slack.ts";
import { SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { freePort, startOwnPostgres, startOwnRedis, type ChaosContext } from "../lib.ts";
import { Respawning } from "./respawning.ts";

export async function startStormStack(ctx: ChaosContext, cleanups: (() => Promise<unknown>)[]) {
  const redis = await startOwnRedis();
  cleanups.push(() => redis.stop());
  const pg = await startOwnPostgres();
  cleanups.push(() => pg.stop());
  const testDb = await createTestDatabase(pg.url, "burnrate_chaos");
  const db: Db = createDb({ databaseUrl: testDb.databaseUrl, poolSize: 4 });
  cleanups.push(() => db.$disconnect());
  const slack = new FakeSlack();
  const slackUrl = await slack.start();
  cleanups.push(() => slack.stop());
  ctx.log(`own redis :${redis.port}, own postgres :${pg.port}, fake Slack ${slackUrl}`);

  const port = await freePort();
  const token = `brt_chaos_${randomBytes(16).toString("hex")}`;
  const prefix = `chaos${randomBytes(3).toString("hex")}`;
  const common = {
    DATABASE_URL: testDb.databaseUrl,
    REDIS_URL: redis.url,
    BURNRATE_QUEUE_PREFIX: prefix,
    LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? "silent",
    NODE_ENV: "production",
    // production refuses to start without a key for the secrets it stores; one per run, shared by all processes
    BURNRATE_SECRET_KEY: randomBytes(32).toString("base64"),
  };
  const apiUrl = `http://127.0.0.1:${port}`;
  const apiProc = new Respawning("api", "apps/api/src/main.ts", () => ({
    ...common,
    PORT: String(port),
    HOST: "127.0.0.1",
    BURNRATE_BOOTSTRAP_TOKEN: token,
    PUBLIC_URL: apiUrl,
  }));
  const workers = [1, 2].map(
    (i) =>
      new Respawning(`worker${i}`, "apps/worker/src/main.ts", () => ({
        ...common,
        SLACK_BOT_TOKEN: "xoxb-chaos",
        SLACK_API_URL: slackUrl,
        PUBLIC_URL: apiUrl,
        BURNRATE_EVAL_EVERY_MS: String(SECOND_MS),
        BURNRATE_EVAL_SHARD_SIZE: "25",
        BURNRATE_JOB_LOCK_MS: String(3 * SECOND_MS),
        WORKER_CONCURRENCY: "4",
      })),
  );
  cleanups.push(async () => {
    await Promise.all([apiProc.stop(), ...workers.map((w) => w.stop())]);
  });
  apiProc.start();
  return { redis, pg, testDb, db, slack, apiUrl, token, workers };
}
