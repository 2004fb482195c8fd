/**
 * `pnpm bench --only=scale`: 100,000 SLO × region (`--scale-pairs=N`), each with 28 days of history, evaluated
 * by worker processes through the real queue.
 *
 *  - Seed: the evaluation benchmark's layout (scripts/bench/evaluation.ts: services of 10 endpoints in 2 regions,
 *    an availability and a latency SLO per endpoint), the history written hour by hour as the store lays it out
 *    (`byHour`); the time is reported. A fresh database on the local Postgres, no API process.
 *  - Cycles: evaluation worker processes (scripts/bench/eval-worker.ts, queue mode: a BullMQ consumer of the
 *    worker's queue at the worker's default concurrency, running the worker's `slo.evaluate` job) on a queue
 *    prefix of their own on the local Redis. A cycle is the worker's own tick job (`createTickJob`: it counts the
 *    SLOs and enqueues one shard job per 500) run in this process, until every shard job has reported back; its
 *    time is from the tick's start to the last shard's end. Before each cycle a new minute of traffic is written
 *    for every endpoint (not counted), so every cycle recomputes the current hour of every SLO × region.
 *    One worker: the first cycle (it opens the burning SLOs' alerts), then `--scale-cycles` steady ones (default
 *    3). Two workers: a first cycle (their warm-up, not counted), the same number of steady cycles, and how many
 *    shards each worker took.
 *  - CPU per cycle from /proc: the worker processes and the Postgres backends of the bench's database; each
 *    worker's peak RSS (VmHWM).
 *
 * `--scale-db=<url>` evaluates an already seeded database (not dropped); `--scale-keep` keeps the one seeded
 * here (its URL is printed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../../packages/db/src/index.ts";
import { createTestDatabase } from "../../packages/db/src/test-db.ts";
import { createJobQueues, dirtyServicesKey } from "../../packages/jobs/src/index.ts";
import { createTickJob } from "../../apps/worker/src/jobs/evaluate/index.ts";
import { seedEvaluation, writeRecentRollups } from "./evaluation.ts";
import type { Env } from "./harness.ts";
import { procCpu } from "./ingest.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PG = process.env.BURNRATE_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** The worker's default BURNRATE_EVAL_SHARD_SIZE; `--scale-shard=N` measures another. */
const DEFAULT_SHARD = 500;

export interface ScaleCycle {
  ms: number;
  shards: number;
  /** Shards each worker took, in worker order. */
  perWorker: number[];
  /** CPU seconds in the cycle: the worker processes, the Postgres backends of the database. */
  cpu: { workers: number; postgres: number };
  /** Step times summed over the shards (ms). */
  phases: Record<string, number>;
  load: number;
}

export interface ScaleResult {
  pairs: number;
  slos: number;
  historyRows: number;
  seedSeconds: number | null;
  dbBytes: number;
  first: ScaleCycle;
  steady: ScaleCycle[];
  two: ScaleCycle[];
  /** Peak RSS (VmHWM) of the one worker, and of each of the two. */
  hwm: { one: number; two: number[] };
}

/**
 * CPU seconds of each Postgres backend connected to `dbName` (its process title names the database), by pid. A
 * cycle's Postgres CPU is the growth of each backend there at its end (a backend that ended meanwhile is not
 * counted: the workers' pools keep theirs for the whole run).
 */
function backendsCpuByPid(dbName: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    let title: string;
    try {
      title = readFileSync(`/proc/${d}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (title.startsWith("postgres: ") && title.split(" ").includes(dbName))
      out.set(Number(d), procCpu(Number(d)) ?? 0);
  }
  return out;
}
const cpuSince = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((a, [pid, s]) => a + s - (before.get(pid) ?? 0), 0);

type Reply = {
  ready?: true;
  shard?: number;
  minuteMs?: number;
  evaluated?: number;
  phases?: Record<string, number>;
  hwm?: number;
  failed?: string;
};

/** `n` evaluation worker processes in queue mode on `prefix`. */
async function startWorkers(n: number, databaseUrl: string, prefix: string) {
  const workers = Array.from({ length: n }, () => {
    // BURNRATE_BENCH_CPU_PROF=<dir>: each worker writes a V8 CPU profile there when it exits.
    const prof = process.env.BURNRATE_BENCH_CPU_PROF;
    const args = [...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []), "--import", "tsx"];
    const child: ChildProcess = spawn(process.execPath, [...args, "scripts/bench/eval-worker.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL: REDIS,
        BENCH_QUEUE_PREFIX: prefix,
        NODE_ENV: "production",
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    return { child, hwm: 0, onShard: null as null | ((r: Reply) => void) };
  });
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.child.once("exit", (code) => reject(new Error(`an evaluation worker exited with ${code}`)));
          w.child.on("message", (m: Reply) => {
            if (m.ready) return resolve();
            if (m.failed) console.error(`bench: shard job failed: ${m.failed}`);
            if (m.hwm) w.hwm = Math.max(w.hwm, m.hwm);
            w.onShard?.(m);
          });
        }),
    ),
  );
  return {
    workers,
    async stop() {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise((r) => {
              if (w.child.exitCode !== null) return r(null);
              w.child.once("exit", r);
              w.child.send("exit");
            }),
        ),
      );
    },
  };
}

export async function benchScale(opts: {
  pairs: number;
  cycles: number;
  dbUrl?: string;
  keep?: boolean;
  /** SLOs per shard job (the worker's BURNRATE_EVAL_SHARD_SIZE). */
  shardSize?: number;
  /** Also the two-worker cycles (default). */
  two?: boolean;
  log: (s: string) => void;
}): Promise<ScaleResult> {
  const { log } = opts;
  const SHARD = opts.shardSize ?? DEFAULT_SHARD;
  const testDb = opts.dbUrl ? null : await createTestDatabase(PG, "burnrate_scale");
  const databaseUrl = opts.dbUrl ?? testDb!.databaseUrl;
  const dbName = new URL(databaseUrl).pathname.slice(1);
  const db = createDb({ databaseUrl, poolSize: 8 });
  const env = { db, databaseUrl } as unknown as Env;
  const tag = `e${opts.pairs}`;
  const prefix = `benchscale${randomBytes(3).toString("hex")}`;
  const { Redis } = (await import("ioredis")) as typeof import("ioredis");
  const redis = new Redis(REDIS, { maxRetriesPerRequest: null });
  const queues = createJobQueues({ connection: redis, prefix });
  try {
    let seedSeconds: number | null = null;
    let historyRows: number;
    let slos: number;
    if (testDb) {
      log(`scale: seeding ${opts.pairs.toLocaleString("en-US")} SLO×region with 28 days of history…`);
      const d = await seedEvaluation(env, opts.pairs, { byHour: true, log });
      seedSeconds = d.seedSeconds;
      historyRows = d.historyRows;
      slos = d.slos;
      log(`scale: seeded in ${seedSeconds.toFixed(0)} s (${databaseUrl})`);
    } else {
      historyRows = Number(
        (
          await db.$queryRawUnsafe<{ n: number }[]>(
            `SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'sli_hours'`,
          )
        )[0]!.n,
      );
      slos = await db.slo.count();
    }
    const dbBytes = Number(
      (
        await db.$queryRawUnsafe<{ b: number }[]>(`SELECT pg_database_size(current_database())::float8 AS b`)
      )[0]!.b,
    );
    const noop = () => undefined;
    const silent = { info: noop, debug: noop, warn: noop, error: noop, trace: noop, fatal: noop } as never;
    // The worker's tick: one cycle per schedule interval (1 s here, so that cycles a few seconds apart are
    // cycles of their own; the worker's default is a minute).
    const tick = createTickJob({
      db,
      redis,
      enqueue: queues.enqueue,
      shardSize: SHARD,
      everyMs: 1000,
      dirtyKey: dirtyServicesKey(prefix),
      now: Date.now,
      log: silent,
    });

    const runCycles = async (nWorkers: number, first: boolean, n: number) => {
      const w = await startWorkers(nWorkers, databaseUrl, prefix);
      const out: ScaleCycle[] = [];
      try {
        for (let c = 0; c < (first ? 1 : 0) + n; c++) {
          // Also before the first: the seed's recent minutes are as old as the seed took. The services were
          // heard from now, as ingest records (no-data alerts look at it; the seed is older than their 30 min).
          await writeRecentRollups(env, tag, Date.now(), 1, 1);
          await db.$executeRawUnsafe(
            `UPDATE services SET last_seen_at = now() WHERE slug LIKE $1 || '-svc-%'`,
            tag,
          );
          const cpu0 = {
            w: w.workers.reduce((a, x) => a + (procCpu(x.child.pid!) ?? 0), 0),
            p: backendsCpuByPid(dbName),
          };
          const perWorker = w.workers.map(() => 0);
          const phases: Record<string, number> = {};
          let shards = Infinity;
          let done = 0;
          let minuteMs = -1;
          const t0 = performance.now();
          const finished = new Promise<void>((resolve) => {
            w.workers.forEach((x, i) => {
              x.onShard = (m) => {
                if (m.shard === undefined || m.minuteMs !== minuteMs) return;
                perWorker[i]!++;
                let prev = 0;
                for (const [k, v] of Object.entries(m.phases ?? {})) {
                  phases[k] = (phases[k] ?? 0) + v - prev;
                  prev = v;
                }
                if (++done >= shards) resolve();
              };
            });
          });
          minuteMs = Math.floor(Date.now() / 1000) * 1000;
          const t = await tick();
          shards = t.shards;
          if (done < shards) await finished;
          const ms = performance.now() - t0;
          const cycle: ScaleCycle = {
            ms,
            shards,
            perWorker,
            cpu: {
              workers: w.workers.reduce((a, x) => a + (procCpu(x.child.pid!) ?? 0), 0) - cpu0.w,
              postgres: cpuSince(cpu0.p, backendsCpuByPid(dbName)),
            },
            phases,
            load: os.loadavg()[0] ?? 0,
          };
          log(
            `scale: ${nWorkers} worker(s), ${first && c === 0 ? "first" : "steady"} cycle ${(ms / 1000).toFixed(2)} s, shards per worker ${perWorker.join(" / ")}, CPU workers ${cycle.cpu.workers.toFixed(1)} s + Postgres ${cycle.cpu.postgres.toFixed(1)} s, load ${cycle.load.toFixed(1)}; steps ${JSON.stringify(phases)}`,
          );
          out.push(cycle);
          // The next cycle must be named by a later second than this one.
          await new Promise((r) => setTimeout(r, 1000));
        }
        return { cycles: out, hwm: w.workers.map((x) => x.hwm) };
      } finally {
        await w.stop();
      }
    };

    const one = await runCycles(1, true, opts.cycles);
    // The two workers' first cycle warms them up (their first queries, the JIT) as the one worker's first
    // cycle did: not counted.
    const two = opts.two === false ? { cycles: [], hwm: [] } : await runCycles(2, true, opts.cycles);
    return {
      pairs: opts.pairs,
      slos,
      historyRows,
      seedSeconds,
      dbBytes,
      first: one.cycles[0]!,
      steady: one.cycles.slice(1),
      two: two.cycles.slice(1),
      hwm: { one: one.hwm[0]!, two: two.hwm },
    };
  } finally {
    await queues.close();
    // The bench's own queue keys (a prefix of its own): nothing else is touched.
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<
      string[]
    >)
      if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.$disconnect();
    if (testDb && !opts.keep) await testDb.drop();
    else if (testDb) log(`scale: database kept: ${databaseUrl}`);
  }
}

/** The scale figures as bench rows. */
export async function scaleRows(o: {
  pairs: number;
  cycles: number;
  dbUrl?: string;
  keep: boolean;
  shardSize?: number;
  two?: boolean;
  log: (s: string) => void;
  row: (what: string, value: string, target: string, ok: boolean | null) => void;
}) {
  const r = await benchScale(o);
  const fmt = (n: number, d = 0) =>
    n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const med = (xs: ScaleCycle[]) => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)]!;
  const s = (c: ScaleCycle) => fmt(c.ms / 1000, 1);
  const cpu = (c: ScaleCycle) => `${fmt(c.cpu.workers, 1)} + ${fmt(c.cpu.postgres, 1)}`;
  const n = fmt(r.pairs);
  o.row(
    `scale: seed of ${n} SLO×region × 28 d (${fmt(r.historyRows)} SLI hours; database ${fmt(r.dbBytes / 2 ** 30, 1)} GiB)`,
    r.seedSeconds === null ? "(seeded before)" : `${fmt(r.seedSeconds)} s`,
    "",
    null,
  );
  o.row(
    `scale: first cycle, ${n} SLO×region, one worker (${r.first.shards} shards of ${o.shardSize ?? DEFAULT_SHARD}; CPU-s workers + Postgres)`,
    `${s(r.first)} s (${cpu(r.first)})`,
    "",
    null,
  );
  const m1 = med(r.steady);
  o.row(
    `scale: steady cycle, one worker, median of ${r.steady.length} (each run; load average during each)`,
    `${s(m1)} s (${r.steady.map(s).join(", ")}; load ${r.steady.map((c) => fmt(c.load, 1)).join(", ")})`,
    "≤ 30 s",
    m1.ms <= 30_000,
  );
  o.row("  CPU-s per steady cycle, worker + Postgres (median cycle)", cpu(m1), "", null);
  const steps = ["load", "recompute", "sums", "alerts", "decide", "snapshot"];
  o.row(
    "  time per step, summed over shards: load / recompute / running totals / alerts read / decide / snapshot",
    `${steps.map((k) => fmt(m1.phases[k] ?? 0)).join(" / ")} ms`,
    "",
    null,
  );
  const m2 = r.two.length ? med(r.two) : null;
  if (m2) {
    o.row(
      `scale: steady cycle, two workers on one Redis, median of ${r.two.length} (each run; shards per worker)`,
      `${s(m2)} s (${r.two.map((c) => `${s(c)}: ${c.perWorker.join("/")}`).join(", ")})`,
      "shorter than one worker",
      m2.ms < m1.ms,
    );
    o.row("  CPU-s per steady cycle, workers + Postgres (median cycle)", cpu(m2), "", null);
  }
  o.row(
    "scale: worker peak RSS (VmHWM): the one worker; each of the two",
    `${fmt(r.hwm.one / 1e6)} MB; ${r.hwm.two.map((h) => fmt(h / 1e6)).join(" / ")} MB`,
    "≤ 600 MB",
    Math.max(r.hwm.one, ...r.hwm.two) <= 600e6,
  );
}
