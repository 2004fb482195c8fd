/**
 * Idle cost: the API and a worker on a fresh database with no SLOs and no traffic, as `npm start` runs them
 * (production mode, default metrics on). After a warm-up, the CPU each process spends (user + system, every
 * thread, read from /proc/<pid>/stat) over a measured stretch, per minute.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { SECOND_MS } from "../../packages/slo-core/src/time-units.ts";
import { BENCH_SECRET_KEY, startApi } from "./harness.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** Linux clock ticks per second (USER_HZ): 100 on every Linux this runs on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process so far (all its threads). */
export function cpuSeconds(pid: number, statPath = `/proc/${pid}/stat`): number {
  const stat = readFileSync(statPath, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat(5); here, 0-based after the name, 11 and 12.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU seconds so far of each thread of a process, by thread name (summed over threads of one name). */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      out.set(name, (out.get(name) ?? 0) + cpuSeconds(Number(tid), `/proc/${pid}/task/${tid}/stat`));
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface IdleCost {
  /** CPU seconds per minute. */
  api: number;
  worker: number;
  seconds: number;
  /** CPU seconds per minute of each thread (by name) of the API and of the worker. */
  threads: { api: Record<string, number>; worker: Record<string, number> };
}

export async function benchIdle(
  opts: { warmupMs?: number; measureMs?: number; apiNodeArgs?: string[]; workerNodeArgs?: string[] } = {},
): Promise<IdleCost> {
  // V8 runs its memory-reducing collections in the first minutes after start-up: they are not the steady cost.
  const warmupMs = opts.warmupMs ?? 120 * SECOND_MS;
  const measureMs = opts.measureMs ?? 120 * SECOND_MS;
  const prefix = `idle${randomBytes(3).toString("hex")}`;
  const env = await startApi(opts.apiNodeArgs ?? [], { BURNRATE_QUEUE_PREFIX: prefix });
  const worker = spawn(
    process.execPath,
    [...(opts.workerNodeArgs ?? []), "--import", "tsx", "apps/worker/src/main.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        BURNRATE_QUEUE_PREFIX: prefix,
        BURNRATE_WORKER_PORT: "0",
        BURNRATE_WORKER_HOST: "127.0.0.1",
        LOG_LEVEL: "error",
        NODE_ENV: "production",
        BURNRATE_SECRET_KEY: BENCH_SECRET_KEY,
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  try {
    await sleep(warmupMs);
    if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
    const a0 = cpuSeconds(env.pid);
    const w0 = cpuSeconds(worker.pid!);
    const at0 = threadCpuSeconds(env.pid);
    const wt0 = threadCpuSeconds(worker.pid!);
    const t0 = performance.now();
    await sleep(measureMs);
    const seconds = (performance.now() - t0) / 1000;
    const perMinute = 60 / seconds;
    const delta = (before: Map<string, number>, after: Map<string, number>) =>
      Object.fromEntries(
        [...after]
          .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) * perMinute] as const)
          .filter(([, v]) => v > 0),
      );
    return {
      threads: {
        api: delta(at0, threadCpuSeconds(env.pid)),
        worker: delta(wt0, threadCpuSeconds(worker.pid!)),
      },
      api: (cpuSeconds(env.pid) - a0) * perMinute,
      worker: (cpuSeconds(worker.pid!) - w0) * perMinute,
      seconds,
    };
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
    await env.stop();
  }
}
