/**
 * Idle cost: the API and a worker on a fresh database with no SLOs and no traffic, as `npm start` runs them
 * (production mode, default metrics on, TypeScript through scripts/lib/run-ts.mjs). After a warm-up, the CPU each
 * process and its child processes spend (every thread, the scheduler's nanosecond count from
 * /proc/<pid>/task/<tid>/schedstat) over a measured stretch, per minute; the 10 ms-tick figure of /proc/<pid>/stat
 * beside it.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { SECOND_MS } from "../../packages/slo-core/src/time-units.ts";
import { BENCH_SECRET_KEY, RUN_TS, startApi } from "./harness.ts";

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

/**
 * CPU seconds so far of a process's live threads, exact: the scheduler's own count of the time each spent on a
 * CPU (`/proc/<pid>/task/<tid>/schedstat`, nanoseconds), where utime + stime are 10 ms ticks sampled at the timer
 * interrupt (a process that runs a few milliseconds a minute is charged 0, 10 or 20 ms by chance). Threads that
 * ended are not counted: an idle process keeps its threads.
 */
export function exactCpuSeconds(pid: number): number {
  let s = 0;
  for (const t of threadCpu(pid)) s += t.seconds;
  return s;
}

/** Each live thread of a process: its name and its exact CPU seconds so far (schedstat, nanoseconds). */
function threadCpu(pid: number): { name: string; seconds: number }[] {
  const out: { name: string; seconds: number }[] = [];
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]);
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trim();
      out.push({ name, seconds: ns / 1e9 });
    } catch {
      /* the thread ended */
    }
  }
  return out;
}

/** The processes whose parent is `pid`, and theirs (by /proc/<pid>/stat's ppid). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      /* the process ended */
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** Exact CPU seconds so far of each live thread of a process, by thread name (summed over threads of one name). */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of threadCpu(pid)) out.set(t.name, (out.get(t.name) ?? 0) + t.seconds);
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface IdleCost {
  /** CPU seconds per minute, exact (exactCpuSeconds), each with its child processes. */
  api: number;
  worker: number;
  /** Child processes of the API and the worker at the end of the measure: each one's name and state (`ps`'s). */
  children: string[];
  /** The same from utime + stime (10 ms ticks), as `ps` and `top` count it. */
  ticks: { api: number; worker: number };
  /** Exact CPU seconds of API + worker in each minute of the measure (a cycle runs once a minute). */
  perMinute: number[];
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
    [...(opts.workerNodeArgs ?? []), "--import", RUN_TS, "apps/worker/src/main.ts"],
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
    // With their child processes (a transpiler's service, say), as long as those live.
    const family = (pid: number) =>
      [pid, ...descendants(pid)].reduce((sum, p) => {
        try {
          return sum + exactCpuSeconds(p);
        } catch {
          return sum; // ended
        }
      }, 0);
    const ea0 = family(env.pid);
    const ew0 = family(worker.pid!);
    const at0 = threadCpuSeconds(env.pid);
    const wt0 = threadCpuSeconds(worker.pid!);
    const t0 = performance.now();
    const minutes: number[] = [];
    let last = ea0 + ew0;
    for (let left = measureMs; left > 0; left -= 60 * SECOND_MS) {
      await sleep(Math.min(left, 60 * SECOND_MS));
      const both = family(env.pid) + family(worker.pid!);
      if (left >= 60 * SECOND_MS) minutes.push(both - last);
      last = both;
    }
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
      api: (family(env.pid) - ea0) * perMinute,
      worker: (family(worker.pid!) - ew0) * perMinute,
      children: [...descendants(env.pid), ...descendants(worker.pid!)].map((p) => {
        try {
          const stat = readFileSync(`/proc/${p}/stat`, "utf8");
          const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
          const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
          return state === "Z" ? `${name} (exited, not reaped)` : `${name} (${state})`;
        } catch {
          return `${p} (ended)`;
        }
      }),
      ticks: {
        api: (cpuSeconds(env.pid) - a0) * perMinute,
        worker: (cpuSeconds(worker.pid!) - w0) * perMinute,
      },
      perMinute: minutes,
      seconds,
    };
  } finally {
    worker.kill("SIGTERM");
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
    await env.stop();
  }
}
