import path from "node:path";
import { createDb, deployMigrations } from "@burnrate/db";
import { createJobQueues } from "@burnrate/jobs";
import { Redis } from "ioredis";
import { buildApp } from "./app";
import { loadApiConfig } from "./config";
import { bootstrapAdmin } from "./services/bootstrap";

const config = loadApiConfig();
if (config.BURNRATE_MIGRATE_ON_START) {
  await deployMigrations({
    databaseUrl: config.DATABASE_URL,
    migrationsDir: path.resolve(import.meta.dirname, "../../../prisma/migrations"),
  });
}
const db = createDb({ databaseUrl: config.DATABASE_URL });
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const jobs = createJobQueues({ connection: redis, prefix: config.BURNRATE_QUEUE_PREFIX });
await bootstrapAdmin(db, {
  adminEmail: config.BURNRATE_ADMIN_EMAIL,
  adminPassword: config.BURNRATE_ADMIN_PASSWORD,
  bootstrapToken: config.BURNRATE_BOOTSTRAP_TOKEN,
});
const app = await buildApp({ config, db, redis, enqueue: jobs.enqueue });
// One line per Redis outage (without a listener, ioredis prints a stack per reconnect attempt).
let redisDownSince: number | null = null;
redis.on("error", (err: Error) => {
  if (redisDownSince !== null) return;
  redisDownSince = Date.now();
  app.log.error({ err: err.message }, "redis unreachable; retrying (logged once per outage)");
});
redis.on("ready", () => {
  if (redisDownSince === null) return;
  app.log.warn({ downMs: Date.now() - redisDownSince }, "redis is back");
  redisDownSince = null;
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, "shutting down");
  await app.close();
  await jobs.close();
  redis.disconnect();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
await app.listen({ port: config.PORT, host: config.HOST });
