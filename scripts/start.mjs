#!/usr/bin/env node
// `npm start`: the whole platform with demo data behind one URL.
//   - installs dependencies, generates the Prisma client, builds the web UI, applies migrations;
//   - Postgres: DATABASE_URL, else an embedded PostgreSQL with its data under .data/postgres;
//   - Redis: REDIS_URL, else a redis-server from PATH with its data under .data/redis;
//   - runs the API (which serves the UI) and the worker; seeds demo data and keeps traffic flowing
//     unless BURNRATE_DEMO=0. Ctrl-C stops everything it started.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { ROOT, ensurePnpm, fail, installDeps, log, run } from "./lib/bootstrap.mjs";
import { API_MALLOC_ENV, API_NODE_FLAGS, RUN_TS } from "./lib/process-options.mjs";

const DATA = path.join(ROOT, ".data");
const PORT = Number(process.env.PORT ?? 8080);
const PG_PORT = Number(process.env.BURNRATE_PG_PORT ?? 54329);
const REDIS_PORT = Number(process.env.BURNRATE_REDIS_PORT ?? 56379);
const demo = process.env.BURNRATE_DEMO !== "0";
const children = [];
let stopping = false;
/** A problem the user can fix: printed without a stack, after stopping what was started. */
class StartError extends Error {}

function secretFile(name, make) {
  mkdirSync(DATA, { recursive: true });
  const f = path.join(DATA, name);
  if (existsSync(f)) return readFileSync(f, "utf8").trim();
  const v = make();
  writeFileSync(f, v + "\n", { mode: 0o600 });
  return v;
}

function portOpen(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}
async function waitUntil(what, fn, timeoutMs = 60_000) {
  const t0 = Date.now();
  while (!(await fn())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startPostgres() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const databaseDir = path.join(DATA, "postgres");
  if (!existsSync(path.join(databaseDir, "PG_VERSION")))
    log(`initialising embedded PostgreSQL in ${path.relative(ROOT, databaseDir)}…`);
  if (await portOpen(PG_PORT))
    throw new StartError(`port ${PG_PORT} is taken; set BURNRATE_PG_PORT or DATABASE_URL`);
  const password = secretFile("postgres-password", () => randomBytes(12).toString("hex"));
  // Its own process group: a Ctrl-C reaches the API and worker first; PostgreSQL is stopped last.
  const p = spawn(
    process.execPath,
    [path.join(ROOT, "scripts/lib/embedded-pg.mjs"), databaseDir, String(PG_PORT), password],
    {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    },
  );
  children.push({ name: "postgres", proc: p });
  await new Promise((resolve, reject) => {
    let out = "";
    p.stdout.on("data", (d) => {
      out += String(d);
      if (out.includes("ready")) resolve();
    });
    p.once("exit", (code) =>
      reject(new StartError(`embedded PostgreSQL exited (${code}); run with DEBUG=1 for its log`)),
    );
  });
  log(`embedded PostgreSQL on 127.0.0.1:${PG_PORT}`);
  return `postgresql://postgres:${password}@127.0.0.1:${PG_PORT}/burnrate`;
}

async function startRedis() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const which = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" });
  if (which.status !== 0)
    throw new StartError(
      "Redis is needed and neither REDIS_URL is set nor redis-server is on PATH.\n" +
        "  Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)\n" +
        "  or point Burnrate at one: REDIS_URL=redis://host:6379 npm start",
    );
  if (await portOpen(REDIS_PORT))
    throw new StartError(`port ${REDIS_PORT} is taken; set BURNRATE_REDIS_PORT or REDIS_URL`);
  const dir = path.join(DATA, "redis");
  mkdirSync(dir, { recursive: true });
  const p = spawn(
    "redis-server",
    [
      "--port",
      String(REDIS_PORT),
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "60 1",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
    ],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  children.push({ name: "redis", proc: p });
  await waitUntil("redis", () => portOpen(REDIS_PORT), 15_000);
  log(`redis-server on 127.0.0.1:${REDIS_PORT}`);
  return `redis://127.0.0.1:${REDIS_PORT}`;
}

function startChild(name, args, env, critical = true) {
  const p = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  children.push({ name, proc: p });
  p.on("exit", (code, signal) => {
    if (stopping) return;
    if (critical) {
      log(`${name} exited (${signal ?? code}); stopping`);
      void shutdown(1);
    } else log(`${name} exited (${signal ?? code}); the platform keeps running`);
  });
  return p;
}

async function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  log("stopping…");
  for (const c of [...children].reverse()) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) {
      c.proc.kill("SIGTERM");
      await Promise.race([
        new Promise((r) => c.proc.once("exit", r)),
        new Promise((r) => setTimeout(r, 8000)),
      ]);
      if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
    }
  }
  log("stopped");
  process.exit(code);
}

async function main() {
  const dev = process.argv.includes("--dev");
  const pnpm = ensurePnpm();
  installDeps(pnpm);
  if (!dev) {
    log("building the web UI…");
    run(pnpm[0], [...pnpm.slice(1), "--silent", "--filter", "@burnrate/web", "build"]);
  }
  if (await portOpen(PORT)) fail(`port ${PORT} is already in use; set PORT to another one`);
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  const DATABASE_URL = await startPostgres();
  const REDIS_URL = await startRedis();
  log("applying migrations…");
  run(process.execPath, ["--import", "tsx", "scripts/migrate.ts", "deploy"], { env: { DATABASE_URL } });
  const adminEmail = process.env.BURNRATE_ADMIN_EMAIL ?? "admin@burnrate.local";
  const adminPassword =
    process.env.BURNRATE_ADMIN_PASSWORD ??
    secretFile("admin-password", () => `burnrate-${randomBytes(4).toString("hex")}`);
  const token =
    process.env.BURNRATE_BOOTSTRAP_TOKEN ??
    secretFile("bootstrap-token", () => `brt_${randomBytes(24).toString("base64url")}`);
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${PORT}`;
  const env = {
    PORT: String(PORT),
    DATABASE_URL,
    REDIS_URL,
    PUBLIC_URL: publicUrl,
    BURNRATE_ADMIN_EMAIL: adminEmail,
    BURNRATE_ADMIN_PASSWORD: adminPassword,
    BURNRATE_BOOTSTRAP_TOKEN: token,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  startChild("api", [...API_NODE_FLAGS, "--import", RUN_TS, "apps/api/src/main.ts"], {
    ...API_MALLOC_ENV,
    ...env,
  });
  startChild("worker", ["--import", RUN_TS, "apps/worker/src/main.ts"], env);
  await waitUntil("the API", async () => {
    try {
      return (await fetch(`http://127.0.0.1:${PORT}/readyz`)).ok;
    } catch {
      return false;
    }
  });
  if (demo) {
    log("seeding demo data and starting the traffic generator (BURNRATE_DEMO=0 turns this off)…");
    const marker = path.join(
      DATA,
      process.env.DATABASE_URL ? "demo-history-sent-external" : "demo-history-sent",
    );
    const backfilled = existsSync(marker);
    if (!backfilled) writeFileSync(marker, new Date().toISOString() + "\n");
    startChild(
      "traffic",
      // History is sent once per data directory: sending it again would count those requests twice.
      [
        "--import",
        "tsx",
        "scripts/simulate.ts",
        "--live",
        "--url",
        `http://127.0.0.1:${PORT}`,
        ...(backfilled ? ["--backfill-hours", "0"] : []),
      ],
      { BURNRATE_TOKEN: token },
      false,
    );
  }
  log("");
  log(`Burnrate is running at ${publicUrl}`);
  log(`  sign in as ${adminEmail} / ${adminPassword}`);
  log(
    `  API: ${publicUrl}/api/v1 (Authorization: Bearer ${token.slice(0, 8)}…, full token in .data/bootstrap-token)`,
  );
  log(`  OpenAPI: ${publicUrl}/docs`);
  log("  Ctrl-C stops everything.");
}

main().catch((e) => {
  if (e instanceof StartError) process.stderr.write(`\x1b[31m[burnrate]\x1b[0m ${e.message}\n`);
  else console.error(e);
  void shutdown(1);
});
