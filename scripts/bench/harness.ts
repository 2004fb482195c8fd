/**
 * The bench harness: a fresh migrated database and the API as a child process on 127.0.0.1, and small HTTP
 * helpers. Shared by the ingest benchmark (ingest.ts) and the pipeline benchmarks (pipeline.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
// Relative imports: the root package does not depend on the workspace packages (scripts talk HTTP).
import { createDb, type Db } from "../../packages/db/src/index.ts";
import { createTestDatabase } from "../../packages/db/src/test-db.ts";
import { MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import { API_MALLOC_ENV, API_NODE_FLAGS, RUN_TS } from "../lib/process-options.mjs";

export { RUN_TS };

const ROOT = path.resolve(import.meta.dirname, "../..");
const PG = process.env.BURNRATE_TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Production mode refuses to start without a key for receiver secrets: one per bench run. */
export const BENCH_SECRET_KEY = process.env.BURNRATE_SECRET_KEY ?? randomBytes(32).toString("base64");

export interface Env {
  url: string;
  token: string;
  db: Db;
  databaseUrl: string;
  /** The API's BURNRATE_SECRET_KEY (a worker started beside it needs the same). */
  secretKey: string;
  /** The API process. */
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A fresh database and the API as a child process listening on 127.0.0.1. `nodeArgs` go to the API's node
 * (e.g. `--cpu-prof`; the profile is written when the API exits on SIGTERM); `extraEnv` adds to its environment.
 */
export async function startApi(nodeArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<Env> {
  const testDb = await createTestDatabase(PG, "burnrate_bench");
  const port = await freePort();
  const token = `brt_bench_${randomBytes(16).toString("hex")}`;
  const secretKey = BENCH_SECRET_KEY;
  const child: ChildProcess = spawn(
    process.execPath,
    [...API_NODE_FLAGS, ...nodeArgs, "--import", RUN_TS, "apps/api/src/main.ts"],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        ...API_MALLOC_ENV,
        DATABASE_URL: testDb.databaseUrl,
        REDIS_URL: REDIS,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
        NODE_ENV: "production",
        // production refuses to start without a key for the secrets it stores; a throwaway one per run
        BURNRATE_SECRET_KEY: secretKey,
        BURNRATE_BOOTSTRAP_TOKEN: token,
        BURNRATE_QUEUE_PREFIX: `bench${randomBytes(3).toString("hex")}`,
        ...extraEnv,
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > MINUTE_MS) throw new Error("the API did not become ready in 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  const db = createDb({ databaseUrl: testDb.databaseUrl, poolSize: 8 });
  return {
    url,
    token,
    db,
    databaseUrl: testDb.databaseUrl,
    secretKey,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      await db.$disconnect();
      await testDb.drop();
    },
  };
}

export async function api(env: Env, method: string, p: string, body?: unknown) {
  const res = await fetch(`${env.url}${p}`, {
    method,
    headers: { authorization: `Bearer ${env.token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** POSTs one NDJSON body to the ingest API; throws unless every line is accepted. */
export async function post(env: Env, body: string): Promise<{ accepted: number; rejected: number }> {
  const res = await fetch(`${env.url}/api/v1/ingest/requests`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.token}`, "content-type": "application/x-ndjson" },
    body,
  });
  const out = (await res.json()) as { accepted: number; rejected: number; errors: unknown[] };
  if (!res.ok || out.rejected) throw new Error(`ingest: ${res.status} ${JSON.stringify(out).slice(0, 300)}`);
  return out;
}

/** A size from /proc/<pid>/status in bytes (the kernel writes kB): VmHWM is the peak RSS so far, VmRSS the current. */
export function procStatusBytes(pid: number | "self", field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : 0;
}
