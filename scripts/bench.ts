/**
 * `pnpm bench`: prints the performance figures. Today: slo-core's evaluation of every tier for 10,000
 * SLO×region series of 28 days of per-minute counts. Results are kept in docs/benchmarks.md.
 */
await import("../packages/slo-core/bench/evaluate.bench.ts");
export {};
