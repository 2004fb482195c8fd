/**
 * `pnpm bench`: ingest, evaluation, status and storage figures, printed as a table and written to docs/benchmarks.md.
 * Real Postgres and Redis on 127.0.0.1 (BURNRATE_TEST_DATABASE_URL / REDIS_URL), a fresh database, the API as a
 * child process. Stops by itself in a few minutes. `--skip-core` skips slo-core's pure-math benchmark.
 * `--only=ingest`, `--only=evaluation`, `--only=idle`, `--only=detection`, `--only=slometrics` or `--only=indicators` runs only that part and prints it (docs/benchmarks.md
 * is not rewritten); with `--only=ingest`,
 * `--phases` adds the API's per-phase times and `--api-cpu-prof=<dir>` writes a CPU profile of the API process.
 *
 *  - idle cost: CPU per minute of the API and a worker with no SLOs and no traffic (scripts/bench/idle.ts).
 *  - time to page: 10 full outages of 99.9% SLOs starting at random offsets in the minute, from the first failed
 *    request to the Slack post (scripts/bench/detection.ts); the worst of the 10.
 *  - ingest: NDJSON over HTTP, 2M records in 20,000-line batches of simulator traffic, 4 in flight (and 2);
 *    vs bare JSON.parse of the same lines.
 *  - evaluation cycle: 1,000 and 10,000 SLO×region, each with 28 days of SLI history as the store holds it
 *    (scripts/bench/evaluation.ts), a full cycle of shard jobs (500 SLOs each), 4 at a time (one worker with
 *    the default concurrency). Then 1,000 again, seeded with 10× the traffic (same rows, 10× the counts).
 *  - status p95: 200 sequential GET /status over HTTP on the 10,000 SLO×region, all regions.
 *  - SLO metrics: GET /metrics/slos over HTTP after a cycle on the 10,000 SLO×region (scripts/bench/slometrics.ts);
 *    `--only=slometrics` seeds 10,000 SLO×region with one day of history and measures only that.
 *  - manager indicators: GET /reports/indicators (what the indicators page loads) on 1,000 SLO×region with
 *    28 days of history, after the worker's period snapshot job: the first call and p50/p95 of 20 more, the
 *    snapshot job's time, and the first call with no snapshot to read (scripts/bench/indicators.ts);
 *    `--skip-indicators`.
 *  - bytes on disk of the SLI store per SLO×region per day, and for 90 days (8 days with minutes + 82 of hours).
 *  - history import: `burnrate import-history` of a generated file of 90 days × 100 endpoints
 *    (scripts/bench/history.ts), records/s end to end, with live ingest batches posted meanwhile;
 *    `--only=history`, `--history-records=N` (default 30,000,000), `--history-parallel=N` (the command's
 *    `--parallel`, default its own), `--skip-history`.
 *  - key rotation: `burnrate secrets rotate`'s re-sealing of 10,000 stored secrets, rows/s, and the run again
 *    with every row current (scripts/bench/secrets.ts); `--only=secrets`, `--skip-secrets`.
 *  - peer: `--peer=prometheus` adds CPU per evaluation cycle of Burnrate beside Prometheus evaluating the
 *    Sloth-style rules of the same SLOs on the same traffic (scripts/bench/prometheus.ts), at each of
 *    `--peer-sizes=` (SLO×region, default 200,1000,10000); `--only=peer` runs only that. Needs the `prometheus`
 *    and `promtool` binaries.
 *  - memory: the API's peak RSS during the ingest run, the evaluation worker's during the largest cycle.
 *  - scale: `--only=scale`, 100,000 SLO×region (`--scale-pairs=`) with 28 days of history, the seed, the first
 *    and `--scale-cycles=` (3) steady cycles of one worker process and of two through the queue
 *    (scripts/bench/scale.ts; `--scale-db=<url>` reuses a seeded database, `--scale-keep` keeps it,
 *    `--scale-shard=N` SLOs per shard job instead of the worker's default 500, `--scale-one-worker` skips the
 *    two-worker cycles).
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { benchIngest, ingestPhases } from "./bench/ingest.ts";
import { procStatusBytes, startApi, type Env } from "./bench/harness.ts";
import { benchDetection } from "./bench/detection.ts";
import { benchHistory } from "./bench/history.ts";
import { benchIdle } from "./bench/idle.ts";
import { benchSecretRotation } from "./bench/secrets.ts";
import { indicatorsLatency } from "./bench/indicators.ts";
import { scrapeLatency } from "./bench/slometrics.ts";
import { MINUTE_MS } from "../packages/slo-core/src/time-units.ts";

const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/** A bad command line: one line that names the flag and what it takes, and exit status 2 (no stack trace). */
const usage = (message: string): never => {
  console.error(`bench: ${message}`);
  process.exit(2);
};
/** A whole-number flag from `min` to `max`, or `fallback` when it is not given. */
const intFlag = (name: string, fallback: number, min: number, max: number): number => {
  const v = flag(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    usage(`--${name}=${v}: a whole number from ${min} to ${max}`);
  return n;
};
const PARTS = [
  "ingest",
  "evaluation",
  "idle",
  "detection",
  "slometrics",
  "indicators",
  "history",
  "secrets",
  "peer",
  "scale",
] as const;
const only = flag("only") as (typeof PARTS)[number] | undefined;
if (only !== undefined && !PARTS.includes(only))
  usage(`--only=${only}: one of ${PARTS.map((p) => `'${p}'`).join(", ")}`);
const cpuProfDir = flag("api-cpu-prof");
const peer = only === "peer" ? "prometheus" : flag("peer");
if (peer !== undefined && peer !== "prometheus") usage(`--peer=${peer}: 'prometheus'`);
const peerSizes = (flag("peer-sizes") ?? "200,1000,10000").split(",").map(Number);
if (peerSizes.some((n) => !Number.isInteger(n) || n < 1 || n > 1_000_000))
  usage(`--peer-sizes=${flag("peer-sizes")}: SLO×region counts from 1 to 1000000, comma-separated`);
// Minutes between the backfilled samples of Prometheus's recorded 5m ratio (28 days of it per SLO × region): 1 as
// the rule records it; at 10,000 SLO × region that is 403M samples (a 68 GB OpenMetrics file), so a sparser
// history (cheaper for Prometheus: its period rule reads fewer samples) keeps the backfill within a disk.
const peerRatioStep = intFlag("peer-ratio-step", 1, 1, 60);
// The evaluation benchmarks load the worker's evaluation code: only when they run.
const { runEvalCycle, seedEvaluation, sliBytes, statusLatency, writeRecentRollups } =
  only === "ingest" || only === "idle" || only === "detection" || only === "history" || only === "secrets"
    ? ({} as typeof import("./bench/evaluation.ts"))
    : await import("./bench/evaluation.ts");

const peerModule = () => import("./bench/prometheus.ts");

// The Prometheus peer backfills and waits out real evaluation minutes: about 10 minutes more per size.
// 100,000 SLO × region take about an hour to seed (--only=scale).
// 10,000 SLO × region: about 170M samples for promtool to backfill, most of an hour more.
const hardStopMinutes =
  20 +
  (peer ? 12 * peerSizes.length + (Math.max(...peerSizes) >= 10_000 ? 90 : 0) : 0) +
  (only === "scale" ? 120 : 0);
const hardStop = setTimeout(() => {
  console.error(`bench: taking longer than ${hardStopMinutes} minutes, giving up`);
  process.exit(2);
}, hardStopMinutes * MINUTE_MS);
hardStop.unref();

const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: [string, string, string, string][] = [];
const row = (what: string, value: string, target: string, ok: boolean | null) =>
  rows.push([what, value, target, ok === null ? "" : ok ? "met" : "MISSED"]);

const log = (s: string) => console.error(`bench: ${s}`);
const started = Date.now();

const printRows = () => {
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const r of rows) console.log(`${r[0].padEnd(w)}  ${r[1].padStart(20)}  ${r[2]} ${r[3]}`);
};

/** The scrape of /metrics/slos on the 10,000 SLO×region just evaluated. */
async function scrapeRow(env: Env) {
  const sc = await scrapeLatency(env, 10);
  const [load] = os.loadavg();
  row(
    `GET /metrics/slos, 10,000 SLO×region (${fmt(sc.rows)} rows with all-regions; ${fmt(sc.samples)} samples, ${fmt(sc.bytes / 2 ** 20, 1)} MiB): the first scrape of a new snapshot, slowest of 10 (median)`,
    `${fmt(sc.fresh.max)} ms (${fmt(sc.fresh.p50)})`,
    "≤ 1 s",
    sc.fresh.max <= 1000,
  );
  row(
    "  a scrape of the same snapshot (its text kept), slowest of 10 (median)",
    `${fmt(sc.kept.max)} ms (${fmt(sc.kept.p50)})`,
    "≤ 1 s",
    sc.kept.max <= 1000,
  );
  row(
    `  API CPU per scrape, new / same snapshot (medians; load average ${fmt(load ?? 0, 1)} on ${os.cpus().length} cores during the run)`,
    `${fmt(sc.fresh.cpuMs)} / ${fmt(sc.kept.cpuMs)} ms`,
    "",
    null,
  );
}

/** The indicators page's data on 1,000 SLO×region with 28 days of history: first call, then p50/p95 of 20. */
async function indicatorsRows() {
  const env = await startApi();
  try {
    log("indicators: 1,000 SLO×region with 28 days of history…");
    await seedEvaluation(env, 1000);
    const ind = await indicatorsLatency(env, 20);
    row(
      `indicators page data, 1,000 SLO×region, 28 d of history (${fmt(ind.depletionRows)} depletion rows, ${fmt(ind.bytes / 1024)} KiB): p95 of 20 (p50)`,
      `${fmt(ind.p95)} ms (p50 ${fmt(ind.p50)})`,
      "< 1 s",
      ind.p95 < 1000,
    );
    row(
      "  the first call (nothing cached; the worker's period snapshot read)",
      `${fmt(ind.first)} ms`,
      "< 1 s",
      ind.first < 1000,
    );
    row(
      `  the worker's period snapshot of every SLO×region (${fmt(ind.periodsWritten)} periods analysed)`,
      `${fmt(ind.snapshotMs)} ms`,
      "< 5 min (its period)",
      ind.snapshotMs < 5 * 60_000,
    );
    row(
      `  the first call without a snapshot (every period analysed from its minutes)${ind.same ? "" : " — DIFFERENT numbers"}`,
      `${fmt(ind.firstComputed)} ms`,
      "",
      null,
    );
  } finally {
    await env.stop();
  }
}

const MB = 1e6;
/** The evaluation worker's peak RSS during the cycles of `pairs` SLO×region. */
const workerRssRow = (pairs: number, hwm: number) =>
  row(
    `worker peak RSS (VmHWM) during the ${fmt(pairs)} SLO×region cycles (one evaluation worker process)`,
    `${fmt(hwm / MB)} MB`,
    "≤ 600 MB",
    hwm <= 600 * MB,
  );

/**
 * CPU per evaluation cycle of Burnrate and of Prometheus with the Sloth-style rules of the same SLOs, on the same
 * traffic, at each of `peerSizes` SLO×region (scripts/bench/prometheus.ts).
 */
async function peerRows() {
  const { burnrateCycles, peerSlos, prometheusAvailable, prometheusCycles } = await peerModule();
  if (!prometheusAvailable()) {
    log("--peer=prometheus: no prometheus and promtool binaries on the PATH; skipped");
    return;
  }
  let largest = { pairs: 0, hwm: 0 };
  for (const pairs of peerSizes) {
    const tag = `e${pairs}`;
    const env = await startApi();
    let b;
    let slos;
    try {
      log(`peer: Burnrate, ${fmt(pairs)} SLO×region with 28 days of history…`);
      const d = await seedEvaluation(env, pairs);
      b = await burnrateCycles(env, tag, d.slos, 5);
      slos = await peerSlos(env, tag);
    } finally {
      await env.stop();
    }
    if (pairs >= largest.pairs) largest = { pairs, hwm: b.workerHwm };
    log(`peer: Prometheus, the Sloth-style rules of the same ${fmt(slos.length)} SLOs…`);
    const p = await prometheusCycles(slos, { log, ratioStepMinutes: peerRatioStep });
    const ratio = b.cpu.total / p.cpu;
    log(
      `peer: ${fmt(pairs)} SLO×region: Burnrate ${fmt(b.cpu.total, 3)} CPU-s a cycle, Prometheus ${fmt(p.cpu, 3)} CPU-s a minute (${fmt(ratio, 2)}×)`,
    );
    row(
      `CPU per evaluation cycle, ${fmt(pairs)} SLO×region: Burnrate (worker + API + Postgres) vs Prometheus (${fmt(p.rules)} Sloth rules in ${fmt(p.groups)} groups)`,
      `${fmt(b.cpu.total, 3)} s vs ${fmt(p.cpu, 3)} s: ${fmt(ratio, 2)}×`,
      "≤ 0.5×",
      ratio <= 0.5,
    );
    row(
      `  Burnrate per cycle, median of ${b.cycles}: worker / API / Postgres; cycle wall time`,
      `${fmt(b.cpu.worker, 3)} / ${fmt(b.cpu.api, 3)} / ${fmt(b.cpu.postgres, 3)} s; ${fmt(b.ms)} ms`,
      "",
      null,
    );
    row(
      `  Prometheus: minutes measured (after 2 of warm-up); group evaluations missed in them (the one before had not ended); peak RSS`,
      `${fmt(p.minutes, 1)}; ${fmt(p.missed)} of ${fmt(p.groups * p.minutes)}; ${fmt(p.hwm / MB)} MB`,
      "",
      null,
    );
    if (p.ratioStepMinutes > 1)
      row(
        `  Prometheus's 28 days of the recorded 5m ratio backfilled a sample every ${p.ratioStepMinutes} min (the rule records one a minute: its period rule reads ${p.ratioStepMinutes}× fewer samples than in production)`,
        "",
        "",
        null,
      );
    row(
      `  Prometheus check: SLO×region with a period ratio; firing alerts (Burnrate's first cycle opened); rule failures; backfilled samples (promtool s)`,
      `${fmt(p.periodSeries)} of ${fmt(pairs)}; ${fmt(p.firing)} (${fmt(b.firstDispatches)}); ${fmt(p.failures)}; ${fmt(p.samplesBackfilled)} (${fmt(p.backfillSeconds)} s)`,
      "",
      null,
    );
  }
  if (largest.pairs) workerRssRow(largest.pairs, largest.hwm);
  row(
    "  load average on the machine at the end (other work shares the cores)",
    fmt(os.loadavg()[0] ?? 0, 1),
    `${os.cpus().length} cores`,
    null,
  );
}

if (only === "scale") {
  const { scaleRows } = await import("./bench/scale.ts");
  await scaleRows({
    pairs: intFlag("scale-pairs", 100_000, 1, 10_000_000),
    cycles: intFlag("scale-cycles", 3, 1, 1000),
    dbUrl: flag("scale-db"),
    keep: process.argv.includes("--scale-keep"),
    shardSize: flag("scale-shard") === undefined ? undefined : intFlag("scale-shard", 0, 1, 1_000_000),
    two: !process.argv.includes("--scale-one-worker"),
    log,
    row,
  });
  printRows();
  process.exit(0);
}

if (only === "peer") {
  await peerRows();
  printRows();
  process.exit(0);
}

if (only === "indicators") {
  await indicatorsRows();
  printRows();
  process.exit(0);
}

/** `burnrate import-history` of 90 days × 100 endpoints, end to end, with live ingest batches meanwhile. */
async function historyRows() {
  const records = intFlag("history-records", 30_000_000, 1_000, 1_000_000_000);
  const env = await startApi(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []);
  try {
    log(`history import: ${fmt(records)} records over 90 days × 100 endpoints…`);
    const h = await benchHistory(
      env,
      records,
      flag("history-parallel") === undefined ? undefined : intFlag("history-parallel", 4, 1, 16),
    );
    row(
      `history import, burnrate import-history end to end (${fmt(h.records)} records, 90 d × 100 endpoints, ${fmt(h.bytes / 2 ** 20)} MiB in ${h.chunks} chunks)`,
      `${fmt(h.recordsPerSec)} records/s`,
      "≥ 1,000,000/s",
      h.recordsPerSec >= 1_000_000,
    );
    row(
      `  rollup rows written per 1,000 records (minutes of the last 8 d, hours before); seconds`,
      `${fmt(h.rowsPerThousand, 1)}; ${fmt(h.seconds, 1)} s`,
      "",
      null,
    );
    if (h.cpu)
      row(
        "  CPU during the import: API / its Postgres backends / client",
        `${fmt(h.cpu.api, 1)} / ${fmt(h.cpu.postgres, 1)} / ${fmt(h.cpu.client, 1)} s`,
        `of ${fmt(h.seconds * 2, 1)} core-s`,
        null,
      );
    row(
      `  live ingest, a 1,000-line batch a second: median / slowest answer, 10 s before (${h.liveBefore.n}) → during the import (${h.live.n})`,
      `${fmt(h.liveBefore.p50)} / ${fmt(h.liveBefore.max)} → ${fmt(h.live.p50)} / ${fmt(h.live.max)} ms`,
      // A quiet API answers in 20-30 ms; below 50 ms "before" counts as 50, so that 25 → 55 ms is not a miss.
      "median ≤ 2× max(before, 50 ms)",
      h.live.p50 <= 2 * Math.max(h.liveBefore.p50, 50),
    );
    if (h.liveRetries.length > 0)
      row(
        `  live batches sent again (refused or connection closed): ${h.liveRetries[0]}`,
        fmt(h.liveRetries.length),
        "",
        null,
      );
    row(
      "  load average on the machine at the end (other work shares the cores)",
      fmt(os.loadavg()[0] ?? 0, 1),
      `${os.cpus().length} cores`,
      null,
    );
  } finally {
    await env.stop();
  }
}
if (only === "history") {
  await historyRows();
  printRows();
  process.exit(0);
}

/** Re-sealing 10,000 stored secrets with a new key, then the same run with every row already current. */
async function secretRows() {
  log("key rotation: 10,000 stored secrets…");
  const r = await benchSecretRotation(10_000);
  row(
    `key rotation, burnrate secrets rotate of ${fmt(r.rows)} secrets (batches of 500, a transaction per row)`,
    `${fmt(r.seconds, 1)} s (${fmt(r.perSec)}/s)`,
    "< 60 s",
    r.seconds < 60,
  );
  row("  the same run again, every row already current", `${fmt(r.rerunSeconds, 2)} s`, "", null);
}
if (only === "secrets") {
  await secretRows();
  printRows();
  process.exit(0);
}

if (only === undefined || only === "idle") {
  log("idle cost: the API and a worker, no SLOs and no traffic (2 minutes of warm-up, 2 of measure)…");
  const idle = await benchIdle();
  const total = idle.api + idle.worker;
  row(
    "idle cost: CPU per minute of the API + a worker, no SLOs, no traffic (exact: the scheduler's ns count)",
    `${fmt(total, 3)} s (API ${fmt(idle.api, 3)} + worker ${fmt(idle.worker, 3)})`,
    "≤ 0.05 s",
    total <= 0.05,
  );
  row(
    "  each minute measured (an evaluation cycle runs once a minute)",
    idle.perMinute.map((s) => fmt(s, 3)).join(", "),
    "",
    null,
  );
  row(
    "  child processes of the API and the worker at the end (their CPU is in the figure above)",
    idle.children.length === 0 ? "none" : idle.children.join("; "),
    "",
    null,
  );
  row(
    "  the same in 10 ms ticks (utime + stime of the two processes, as ps counts it)",
    `${fmt(idle.ticks.api + idle.ticks.worker, 3)} s (API ${fmt(idle.ticks.api, 3)} + worker ${fmt(idle.ticks.worker, 3)})`,
    "",
    null,
  );
}
if (only === undefined || only === "detection") {
  log("time to page: 10 full outages of 99.9% SLOs from random offsets in the minute (about 4 minutes)…");
  const det = await benchDetection({ runs: 10 });
  row(
    "time to page: a full outage of a 99.9% SLO, first failed request to the Slack post (worst of 10 runs at random offsets in the minute)",
    `${fmt(det.worst, 1)} s (median ${fmt(det.median, 1)})`,
    "≤ 60 s",
    det.worst <= 60,
  );
  row(
    "  each run: seconds to the page (outage start, seconds into its minute)",
    det.seconds.map((s, i) => `${fmt(s, 1)} (${fmt(det.offsets[i]!, 0)})`).join(", "),
    "",
    null,
  );
}
if (only === "idle" || only === "detection") {
  printRows();
  process.exit(0);
}

if (only === "slometrics") {
  const env = await startApi();
  try {
    log("SLO metrics: 10,000 SLO×region with 1 day of history, one evaluation cycle, then scrapes…");
    const d = await seedEvaluation(env, 10_000, { historyDays: 1 });
    const c = await runEvalCycle(env, { slos: d.slos, shardSize: 500, concurrency: 4 });
    row(
      "  evaluation cycle that wrote the snapshot; of it, writing the snapshot (summed over shards)",
      `${fmt(c.ms / 1000, 2)} s; ${fmt(c.phases.snapshot ?? 0)} ms`,
      "",
      null,
    );
    await scrapeRow(env);
  } finally {
    await env.stop();
  }
  printRows();
  process.exit(0);
}

const INGEST_RECORDS = 2_000_000;
const INGEST_SENDERS = 3;
if (only !== "evaluation") {
  let env = await startApi(cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`] : []);
  try {
    log("ingest…");
    // Sustained (2M records, about 2 s: a sub-second run measures the warm-up), from 3 senders at once like
    // a few collector exporters (the API admits 3 ingest requests at once by default,
    // BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS; a fourth is shed with a 429 and Retry-After: 1, a second's pause in
    // a 2-second run); and from 2 senders, for comparison.
    const ing = await benchIngest(env, INGEST_RECORDS, INGEST_SENDERS);
    row(
      `ingest, NDJSON over HTTP (${fmt(ing.records)} records, ${ing.batches} × 20k-line batches, ${INGEST_SENDERS} in flight; ${ing.retries} shed and sent again)`,
      `${fmt(ing.recordsPerSec)} records/s`,
      "≥ 150,000/s",
      ing.recordsPerSec >= 150_000,
    );
    row("bare JSON.parse of the same lines, one process", `${fmt(ing.bareParsePerSec)} lines/s`, "", null);
    row("ingest ÷ bare parse", `${fmt(ing.ratio, 2)}×`, "≥ 0.75×", ing.ratio >= 0.75);
    // The API was started for this run: its peak RSS is the start-up and the 2M records.
    const apiHwm = procStatusBytes(env.pid, "VmHWM");
    row(
      "  API peak RSS (VmHWM) during the ingest run",
      `${fmt(apiHwm / 1e6)} MB`,
      "≤ 400 MB",
      apiHwm <= 400e6,
    );
    if (only !== "ingest") {
      await env.stop();
      env = await startApi();
      const two = await benchIngest(env, INGEST_RECORDS, 2);
      row(
        "  the same from 2 senders: records/s, ÷ bare parse",
        `${fmt(two.recordsPerSec)} records/s, ${fmt(two.ratio, 2)}×`,
        "",
        null,
      );
    }
    if (only === "ingest" && ing.cpu) {
      const us = (s: number) => fmt((s / ing.records) * 1e6, 2);
      row(
        `  CPU during the HTTP run: API (its main thread) / postgres (bench db) / client (load average ${fmt(ing.load, 1)})`,
        `${fmt(ing.cpu.api, 2)} (${fmt(ing.cpu.apiMain, 2)}) / ${fmt(ing.cpu.postgres, 2)} / ${fmt(ing.cpu.client, 2)} s`,
        `of ${fmt(ing.seconds * os.cpus().length, 2)} core-s`,
        null,
      );
      row(
        "  CPU per record: API (its main thread) / postgres / client",
        `${us(ing.cpu.api)} (${us(ing.cpu.apiMain)}) / ${us(ing.cpu.postgres)} / ${us(ing.cpu.client)} µs`,
        "",
        null,
      );
    }
    if (only === "ingest" && process.argv.includes("--phases")) {
      log("ingest phases, in this process…");
      for (const p of await ingestPhases(env)) row(`  phase: ${p.what}`, p.value, "", null);
    }
  } finally {
    await env.stop();
  }
}
if (only === "ingest") {
  printRows();
  process.exit(0);
}

const SHARD = 500; // the worker's default BURNRATE_EVAL_SHARD_SIZE
const CONCURRENCY = 4; // the worker's default WORKER_CONCURRENCY
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/**
 * Steady cycles after a first one: before each, a new minute of traffic for every endpoint (as ingest would have
 * written it), so every cycle recomputes and rewrites the current hour of every SLO × region. The median of `n`
 * cycles, and the per-step sums of the last one.
 */
async function cycles(e: Env, tag: string, slos: number, k: number, n = 5) {
  const first = await runEvalCycle(e, { slos, shardSize: SHARD, concurrency: CONCURRENCY });
  const runs = [];
  for (let i = 0; i < n; i++) {
    await writeRecentRollups(e, tag, Date.now(), k, 1);
    runs.push(await runEvalCycle(e, { slos, shardSize: SHARD, concurrency: CONCURRENCY }));
  }
  return { first, steady: median(runs.map((r) => r.ms)), last: runs.at(-1)! };
}

let c1k = 0;
let env = await startApi();
try {
  log("evaluation: 1,000 SLO×region with 28 days of history…");
  const d1 = await seedEvaluation(env, 1000);
  const c1 = await cycles(env, "e1000", d1.slos, 1);
  c1k = c1.steady;
  row(
    `evaluation cycle, 1,000 SLO×region, 28 d of history (first cycle: ${c1.first.dispatches} alerts fire)`,
    `${fmt(c1.first.ms / 1000, 2)} s`,
    "",
    null,
  );
  row("evaluation cycle, 1,000 SLO×region (steady, median of 5)", `${fmt(c1.steady / 1000, 2)} s`, "", null);
} finally {
  await env.stop();
}

env = await startApi();
try {
  log("10× traffic: the same 1,000 SLO×region, every count ×10…");
  const d = await seedEvaluation(env, 1000, { scale: 10 });
  const c10 = await cycles(env, "e1000", d.slos, 10);
  row(
    "evaluation cycle, 1,000 SLO×region, 10× traffic (steady, median of 5)",
    `${fmt(c10.steady / 1000, 2)} s`,
    "no growth with traffic",
    c10.steady < c1k * 1.25,
  );
} finally {
  await env.stop();
}

env = await startApi();
try {
  log("evaluation: 10,000 SLO×region with 28 days of history (seeding 6.7M hours)…");
  const d10 = await seedEvaluation(env, 10_000);
  log(`seeded ${fmt(d10.historyRows)} SLI hours in ${fmt(d10.seedSeconds, 1)} s`);
  const c = await cycles(env, "e10000", d10.slos, 1);
  row(
    `evaluation cycle, 10,000 SLO×region, 28 d of history (first cycle: ${c.first.dispatches} alerts fire)`,
    `${fmt(c.first.ms / 1000, 2)} s`,
    "",
    null,
  );
  row(
    `evaluation cycle, 10,000 SLO×region (steady, median of 5; ${c.last.shards} shards of ${SHARD} SLOs, ${CONCURRENCY} at a time)`,
    `${fmt(c.steady / 1000, 2)} s`,
    "≤ 5 s",
    c.steady <= 5000,
  );
  const total = Object.values(c.last.phases).reduce((a, b) => a + b, 0);
  row(
    "  time per step, summed over shards: load / recompute / running totals / alerts read / decide / snapshot",
    ["load", "recompute", "sums", "alerts", "decide", "snapshot"]
      .map((k) => `${fmt(c.last.phases[k] ?? 0)}`)
      .join(" / ") + " ms",
    `of ${fmt(total)} ms`,
    null,
  );
  const { burnrateCycles } = await peerModule();
  const wc = await burnrateCycles(env, "e10000", d10.slos, 1);
  workerRssRow(10_000, wc.workerHwm);
  log("GET /metrics/slos…");
  await scrapeRow(env);
  log("status p95…");
  const st = await statusLatency(env, d10.sloIds, 200);
  row(
    "status p95 (200 GET /status, 28 d of history, all regions)",
    `${fmt(st.p95, 1)} ms (p50 ${fmt(st.p50, 1)})`,
    "≤ 50 ms",
    st.p95 <= 50,
  );
  const disk = await sliBytes(env);
  row(
    "bytes on disk per SLO×region per day, with minutes / at hour resolution",
    `${fmt(disk.perMinuteDay / 1024, 1)} / ${fmt(disk.perHourDay / 1024, 1)} KiB`,
    "",
    null,
  );
  const ninety = 8 * disk.perMinuteDay + 82 * disk.perHourDay;
  row(
    "bytes per SLO×region for 90 days (8 d with minutes + 82 d of hours)",
    `${fmt(ninety / 1024 / 1024, 2)} MiB`,
    "≤ 5 MB",
    ninety <= 5_000_000,
  );
} finally {
  await env.stop();
}

if (peer) await peerRows();
if (!process.argv.includes("--skip-indicators")) await indicatorsRows();
if (!process.argv.includes("--skip-history")) await historyRows();
if (!process.argv.includes("--skip-secrets")) await secretRows();

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

if (only !== undefined) process.exit(0); // a partial run does not rewrite docs/benchmarks.md
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
