import path from "node:path";
import {
  countSecretsToRotate,
  createDb,
  createSecretBox,
  deployMigrations,
  sealPlaintextSecrets,
} from "@burnrate/db";
import { createJobQueues } from "@burnrate/jobs";
import { MINUTE_MS } from "@burnrate/slo-core";
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
// An unused Postgres connection stays open for minutes (pg closes it after 10 s): an API without traffic does not
// reconnect for every periodic statement.
const db = createDb({ databaseUrl: config.DATABASE_URL, idleTimeoutMs: 5 * MINUTE_MS });
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const jobs = createJobQueues({ connection: redis, prefix: config.BURNRATE_QUEUE_PREFIX });
await bootstrapAdmin(db, {
  adminEmail: config.BURNRATE_ADMIN_EMAIL,
  adminPassword: config.BURNRATE_ADMIN_PASSWORD,
  bootstrapToken: config.BURNRATE_BOOTSTRAP_TOKEN,
});
const app = await buildApp({ config, db, redis, enqueue: jobs.enqueue });
// Receiver secrets at rest: sealed with BURNRATE_SECRET_KEY, and those stored before the key was set are sealed
// now. Without a key (refused in production) they are stored as they are, and this says so.
const secrets = createSecretBox(config.BURNRATE_SECRET_KEY, config.BURNRATE_SECRET_KEY_PREVIOUS);
if (secrets.encrypting) {
  const sealed = await sealPlaintextSecrets(db, secrets);
  if (sealed > 0) app.log.info({ sealed }, "receiver secrets stored in plain text are now encrypted");
  // Key ids only (a hash prefix of each key): which keys this process has, never the keys.
  const keys = { secretKeyId: secrets.keyId, previousKeyIds: secrets.previousKeyIds };
  const toRotate = await countSecretsToRotate(db, secrets);
  if (toRotate > 0)
    app.log.warn(
      { ...keys, toRotate },
      "stored secrets are sealed with an older key: run `pnpm burnrate secrets rotate` before dropping it from BURNRATE_SECRET_KEY_PREVIOUS",
    );
  else app.log.info(keys, "stored secrets are all sealed with the current key");
} else
  app.log.warn(
    "BURNRATE_SECRET_KEY is not set: receiver secrets are stored unencrypted (refused in production)",
  );
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
