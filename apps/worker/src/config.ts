import { z } from "zod";

export const WorkerConfig = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL is required"),
  REDIS_URL: z.string().min(1).default("redis://127.0.0.1:6379"),
  PUBLIC_URL: z.string().url().default("http://localhost:8080"),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How often every SLO is evaluated. */
  BURNRATE_EVAL_EVERY_MS: z.coerce.number().int().min(1000).default(60_000),
  /** SLOs per evaluation job; shards spread the cycle over all workers. */
  BURNRATE_EVAL_SHARD_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  BURNRATE_QUEUE_PREFIX: z.string().min(1).default("bull"),
  /** A killed worker's active jobs go back to the queue after this long (BullMQ lock and stall check). */
  BURNRATE_JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
});
export type WorkerConfig = z.infer<typeof WorkerConfig>;

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  const parsed = WorkerConfig.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`,
    );
  }
  return parsed.data;
}
