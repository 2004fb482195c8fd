/** The worker under test as a child process (`apps/worker/src/main.ts`), on the stack's database and Slack. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Stack } from "../../../apps/api/test/harness.ts";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { freePort, get, sleep } from "../lib.ts";

const WORKER_DIR = path.resolve(import.meta.dirname, "../../../apps/worker");

export interface WorkerChild {
  child: ChildProcess;
  port: number;
  output: string[];
  stop(): Promise<void>;
}

export async function spawnWorker(
  stack: Stack,
  redisUrl: string,
  env: Record<string, string>,
): Promise<WorkerChild> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: WORKER_DIR,
    env: {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: redisUrl,
      BURNRATE_QUEUE_PREFIX: stack.prefix,
      PUBLIC_URL: stack.baseUrl,
      SLACK_BOT_TOKEN: "xoxb-chaos",
      SLACK_API_URL: stack.slack.url,
      LOG_LEVEL: "warn",
      BURNRATE_WORKER_PORT: String(port),
      BURNRATE_WORKER_HOST: "127.0.0.1",
      BURNRATE_JOB_LOCK_MS: String(5 * SECOND_MS),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const until = Date.now() + MINUTE_MS;
  while (!(await get(`http://127.0.0.1:${port}/healthz`).catch(() => null))) {
    if (child.exitCode !== null) throw new Error(`worker exited: ${output.join("").slice(-2000)}`);
    if (Date.now() > until) throw new Error("worker did not start");
    await sleep(200);
  }
  return {
    child,
    port,
    output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(10 * SECOND_MS)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
