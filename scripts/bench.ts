/**
 * `pnpm bench`: ingest, evaluation, status and storage figures, printed as a table and written to docs/benchmarks.md.
 * Real Postgres and Redis on 127.0.0.1 (BURNRATE_TEST_DATABASE_URL / REDIS_URL), a fresh database, the API as a
 * child process. Stops by itself in a few minutes. `--skip-core` skips slo-core's pure-math benchmark.
 * `--only=ingest` runs only the ingest part and prints it (docs/benchmarks.md is not rewritten); with it,
 * `--phases` adds the API's per-phase times and `--api-cpu-prof=<dir>` writes a CPU profile of the API process.
 *
 *  - ingest: NDJSON over HTTP, 20,000-line batches of simulator traffic, 2 in flight; vs bare JSON.parse.
 *  - evaluation cycle: 1,000 SLO×region with 3 days of per-minute history (what evaluation reads: the longest
 *    window is 3 days), a full cycle of shard jobs, 4 at a time (one worker). Then the same with 10× traffic.
 *    10,000 SLO×region: measured on a 2,000 SLO×region cycle and scaled linearly (evaluation is per SLO).
 *  - status p95: 200 sequential GET /status over HTTP on SLOs with 28 days of per-minute history.
 *  - bytes on disk per SLO×region per day, and for 90 days (8 days of minutes + 82 days of hours).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchIngest, ingestPhases } from "./bench/ingest.ts";
import { startApi } from "./bench/harness.ts";

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = flag("only");
if (only !== undefined && only !== "ingest") throw new Error(`--only=${only}: only 'ingest' is supported`);
const cpuProfDir = flag("api-cpu-prof");
// The pipeline benchmarks load the worker's evaluation code: only when they run.
const { benchStatus, bytesPerRow, fullHistory, runCycle, scaleTraffic, setupSlos } =
  only === "ingest" ? ({} as typeof import("./bench/pipeline.ts")) : await import("./bench/pipeline.ts");

const hardStop = setTimeout(() => {
  console.error("bench: taking longer than 10 minutes, giving up");
  process.exit(2);
}, 10 * 60_000);
hardStop.unref();

const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: [string, string, string, string][] = [];
const row = (what: string, value: string, target: string, ok: boolean | null) =>
  rows.push([what, value, target, ok === null ? "" : ok ? "met" : "MISSED"]);

const log = (s: string) => console.error(`bench: ${s}`);
const started = Date.now();

let env = await startApi(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []);
try {
  log("ingest…");
  const ing = await benchIngest(env);
  row(
    `ingest, NDJSON over HTTP (${fmt(ing.records)} records, ${ing.batches} × 20k-line batches, 2 in flight)`,
    `${fmt(ing.recordsPerSec)} records/s`,
    "≥ 150,000/s",
    ing.recordsPerSec >= 150_000,
  );
  row("bare JSON.parse of the same lines, one process", `${fmt(ing.bareParsePerSec)} lines/s`, "", null);
  row("ingest ÷ bare parse", `${fmt(ing.ratio, 2)}×`, "≥ 0.5×", ing.ratio >= 0.5);
  if (only === "ingest" && ing.cpu)
    row(
      "  CPU during the HTTP run: API / postgres / client",
      `${fmt(ing.cpu.api, 2)} / ${fmt(ing.cpu.postgres, 2)} / ${fmt(ing.cpu.client, 2)} s`,
      `of ${fmt(ing.seconds * 2, 2)} core-s`,
      null,
    );
  if (only === "ingest" && process.argv.includes("--phases")) {
    log("ingest phases, in this process…");
    for (const p of await ingestPhases(env)) row(`  phase: ${p.what}`, p.value, "", null);
  }
} finally {
  await env.stop();
}
if (only === "ingest") {
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const r of rows) console.log(`${r[0].padEnd(w)}  ${r[1].padStart(20)}  ${r[2]} ${r[3]}`);
  process.exit(0);
}

env = await startApi();
try {
  log("evaluation: 1,000 SLO×region with 3 days of history…");
  const setup = await setupSlos(env, 1000, 3);
  const first = await runCycle(env, 1000);
  const c1k = await runCycle(env, 1000);
  row(
    "evaluation cycle, 1,000 SLO×region, 3 d of minutes (first cycle)",
    `${fmt(first / 1000, 2)} s`,
    "",
    null,
  );
  row("evaluation cycle, 1,000 SLO×region (steady)", `${fmt(c1k / 1000, 2)} s`, "", null);
  await scaleTraffic(env, 10);
  const c1k10 = await runCycle(env, 1000);
  row(
    "evaluation cycle, 1,000 SLO×region, 10× traffic",
    `${fmt(c1k10 / 1000, 2)} s`,
    "no growth with traffic",
    c1k10 < c1k * 1.25,
  );
  log("status p95 on 28 days of history…");
  const ids28 = setup.sloIds.slice(0, 10);
  await fullHistory(env, setup, ids28, 28);
  const st = await benchStatus(env, ids28, 200);
  row(
    "status p95 (200 GET /status, 28 d of minutes, all regions)",
    `${fmt(st.p95, 1)} ms (p50 ${fmt(st.p50, 1)})`,
    "≤ 50 ms",
    st.p95 <= 50,
  );
  const c28 = await runCycle(env, 1000);
  row(
    "evaluation cycle, 1,000 SLO×region, 10 of them with 28 d of minutes",
    `${fmt(c28 / 1000, 2)} s`,
    "",
    null,
  );
  const disk = await bytesPerRow(env);
  const perDay = disk.minuteRow * 1440;
  const ninety = 8 * perDay + 82 * 24 * disk.hourRow;
  row(
    "bytes on disk per SLO×region per day (minutes: table + indexes)",
    `${fmt(perDay / 1024, 1)} KiB`,
    "",
    null,
  );
  row(
    "bytes per SLO×region for 90 days (8 d of minutes + 82 d of hours)",
    `${fmt(ninety / 1024 / 1024, 2)} MiB`,
    "≤ 5 MB",
    ninety <= 5_000_000,
  );
} finally {
  await env.stop();
}

env = await startApi();
try {
  log("evaluation: 2,000 SLO×region (for the 10,000 estimate)…");
  await setupSlos(env, 2000, 3);
  await runCycle(env, 2000);
  const c2k = await runCycle(env, 2000);
  const est = (c2k / 2000) * 10_000;
  row("evaluation cycle, 2,000 SLO×region, 3 d of minutes (measured)", `${fmt(c2k / 1000, 2)} s`, "", null);
  row(
    "evaluation cycle, 10,000 SLO×region (2,000 measured × 5)",
    `${fmt(est / 1000, 1)} s`,
    "≤ 5 s",
    est <= 5000,
  );
} finally {
  await env.stop();
}

const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "cpu"}), ${fmt(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...rows.map((r) => r[i]!.length), ["what", "result", "target", ""][i]!.length),
);
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
const table = [
  line(["what", "result", "target", ""]),
  `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
  ...rows.map(line),
].join("\n");
console.log(`\nBurnrate pipeline benchmark, ${date}, ${machine}\n\n${table}\n`);
console.log(`(${fmt((Date.now() - started) / 1000)} s)`);

const docs = path.resolve(import.meta.dirname, "../docs/benchmarks.md");
const { readFileSync, existsSync } = await import("node:fs");
const prev = existsSync(docs) ? readFileSync(docs, "utf8") : "";
const marker = "<!-- bench:pipeline -->";
const section = `${marker}\n## Latest \`pnpm bench\` run: ${date}\n\nMachine: ${machine}.\n\n${table}\n${marker}`;
const re = new RegExp(`${marker}[\\s\\S]*?${marker}`);
writeFileSync(docs, re.test(prev) ? prev.replace(re, section) : `${prev.trimEnd()}\n\n${section}\n`);
log(`results written to ${path.relative(process.cwd(), docs)}`);

if (!process.argv.includes("--skip-overview")) {
  console.log("\nDashboards (overview of 1,000 SLO×region; target: list API p95 ≤ 300 ms):");
  const { runOverviewBench } = await import("./bench/overview.bench.ts");
  const overview = await runOverviewBench();
  for (const r of overview) console.log(`  ${r.name.padEnd(60)} ${r.value}`);
  const om = "<!-- bench:overview -->";
  const now = readFileSync(docs, "utf8");
  const osec = `${om}\n## Latest overview run: ${date}\n\n| what | result |\n|---|---|\n${overview.map((r) => `| ${r.name} | ${r.value} |`).join("\n")}\n${om}`;
  const ore = new RegExp(`${om}[\\s\\S]*?${om}`);
  writeFileSync(docs, ore.test(now) ? now.replace(ore, osec) : `${now.trimEnd()}\n\n${osec}\n`);
}

if (!process.argv.includes("--skip-core")) {
  console.log("\nslo-core (pure math, in process):");
  await import("../packages/slo-core/bench/evaluate.bench.ts");
}
