/**
 * Evaluation benchmark for slo-core (plain script, not vitest bench):
 *   node --import tsx packages/slo-core/bench/evaluate.bench.ts
 *
 * 10,000 SLO × region evaluations over 28 days of per-minute counts. Each evaluation runs every
 * workbook tier (evaluateTiers), the status burn rates (burnRatesAt) and the remaining budget.
 * Memory: 10,000 × 40,320 minutes × 2 Float64Arrays would be ~6.4 GB, so 100 distinct series are
 * generated (seeded PRNG) and each is shared by 100 evaluations that differ in objective and in
 * evaluation time. Data generation and prefix sums are outside the timed part (prefix sums are
 * timed separately).
 */
import { performance } from "node:perf_hooks";
import process from "node:process";
import {
  DAY_MS,
  MINUTE_MS,
  buildPrefixSums,
  burnRatesAt,
  evaluateTiers,
  periodAt,
  remainingBudget,
  windowCounts,
  workbookTiers,
  type PrefixSums,
  type SloWindow,
} from "../src/index.js";

/** SLO × region evaluations per run. */
const EVALUATIONS = 10_000;
/** Distinct generated series, shared round-robin by the evaluations. */
const DISTINCT_SERIES = 100;
/** Days of per-minute history per series. */
const DAYS = 28;
const MINUTES = (DAYS * DAY_MS) / MINUTE_MS;
/** Fixed seed so every run measures the same data. */
const SEED = 20260301;
/** CPU-time target for all evaluations, in ms. */
const TARGET_CPU_MS = 1000;
const START_MS = Date.UTC(2026, 1, 1);
const OBJECTIVES = [0.99, 0.995, 0.999, 0.9995, 0.9999];

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One series: diurnal traffic, a small base error rate and a few incidents. */
function generate(rand: () => number): { good: Float64Array; total: Float64Array } {
  const total = new Float64Array(MINUTES);
  const good = new Float64Array(MINUTES);
  const base = 20 + rand() * 2000;
  const errorRate = rand() * 0.002;
  const incidents = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => ({
    from: Math.floor(rand() * MINUTES),
    len: 5 + Math.floor(rand() * 240),
    rate: rand() * 0.5,
  }));
  for (let i = 0; i < MINUTES; i++) {
    const diurnal = 0.6 + 0.4 * Math.sin((2 * Math.PI * (i % 1440)) / 1440);
    const t = Math.round(base * diurnal * (0.8 + 0.4 * rand()));
    let rate = errorRate;
    for (const inc of incidents) if (i >= inc.from && i < inc.from + inc.len) rate = Math.max(rate, inc.rate);
    total[i] = t;
    good[i] = t - Math.round(t * rate * rand() * 2);
  }
  return { good, total };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

// ---- setup (not timed) ----
const rand = prng(SEED);
const raw = Array.from({ length: DISTINCT_SERIES }, () => generate(rand));
const prefixCpu = process.cpuUsage();
const prefixes: PrefixSums[] = raw.map((s) =>
  buildPrefixSums({ startMs: START_MS, good: s.good, total: s.total }),
);
const prefixCpuMs = cpuMs(prefixCpu);
raw.length = 0; // only prefix sums are kept
const endMs = START_MS + MINUTES * MINUTE_MS;
const tiers = workbookTiers(DAYS * DAY_MS);

function run(window: SloWindow): { cpuMs: number; wallMs: number; firing: number; sink: number } {
  let firing = 0;
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  for (let i = 0; i < EVALUATIONS; i++) {
    const p = prefixes[i % DISTINCT_SERIES] as PrefixSums;
    const objective = OBJECTIVES[Math.floor(i / DISTINCT_SERIES) % OBJECTIVES.length] as number;
    const nowMs = endMs - (Math.floor(i / DISTINCT_SERIES) % 1440) * MINUTE_MS; // different evaluation minutes
    for (const d of evaluateTiers(p, nowMs, objective, tiers)) if (d.firing) firing++;
    const rates = burnRatesAt(p, nowMs, objective);
    sink += rates["1h"] ?? 0;
    const period = periodAt(window, nowMs);
    sink += remainingBudget(windowCounts(p, period.startMs, nowMs), objective);
  }
  return { cpuMs: cpuMs(cpu0), wallMs: performance.now() - wall0, firing, sink };
}

run({ type: "rolling", days: DAYS }); // warm-up (JIT), not reported
const rows = [
  { name: "rolling 28d", r: run({ type: "rolling", days: DAYS }) },
  {
    name: "calendar month, Europe/Berlin",
    r: run({ type: "calendar", period: "month", timeZone: "Europe/Berlin" }),
  },
];

const mem = process.memoryUsage();
console.log(
  `slo-core evaluation bench: ${EVALUATIONS.toLocaleString("en")} SLO×region evaluations, ${DAYS} d of per-minute counts (${MINUTES.toLocaleString("en")} minutes) each`,
);
console.log(
  `data: ${DISTINCT_SERIES} distinct seeded series (seed ${SEED}), each shared by ${EVALUATIONS / DISTINCT_SERIES} evaluations with different objectives and evaluation minutes`,
);
console.log(
  `per evaluation: ${tiers.length} workbook tiers (evaluateTiers) + burnRatesAt (7 windows) + remaining budget over the period`,
);
console.log(
  `prefix sums: ${DISTINCT_SERIES} built in ${prefixCpuMs.toFixed(1)} ms CPU (not in the timed part); heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MB`,
);
console.log("");
console.table(
  rows.map(({ name, r }) => ({
    period: name,
    "CPU ms": Number(r.cpuMs.toFixed(1)),
    "wall ms": Number(r.wallMs.toFixed(1)),
    "evaluations/s": Math.round(EVALUATIONS / (r.cpuMs / 1000)),
    "tiers firing": r.firing,
    [`< ${TARGET_CPU_MS} ms CPU`]: r.cpuMs < TARGET_CPU_MS ? "yes" : "NO",
  })),
);
if (rows.some(({ r }) => !Number.isFinite(r.sink)))
  console.log("(sink not finite: some remaining budgets were -Infinity)");
