/**
 * Manager indicators at scale: GET /api/v1/reports/indicators (what the indicators page loads) on 1,000
 * SLO × region with 28 days of SLI history (the evaluation benchmark's seeding, scripts/bench/evaluation.ts).
 * The worker's period snapshot job (slo.snapshot) runs first, as it does every 5 minutes; then the first call
 * (nothing cached in the API) and `n` sequential calls as a page would make them: p50 and p95. Then, with the
 * snapshots removed, the first call of another filter with the same answer: what a fresh install (or an SLO
 * the worker has not reached yet) costs, every period analysed from its minutes.
 */
import { snapshotSloPeriods } from "../../apps/worker/src/jobs/period-snapshots.ts";
import type { Env } from "./harness.ts";

export interface IndicatorsLatency {
  /** the worker's snapshot of every SLO × region (ms), and what it wrote */
  snapshotMs: number;
  periodsWritten: number;
  first: number;
  p50: number;
  p95: number;
  /** the first call of a filter with no snapshot to read (ms) */
  firstComputed: number;
  /** whether the answer read from the snapshots equals the one computed from the minutes (bar the window's end) */
  same: boolean;
  depletionRows: number;
  bytes: number;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function get(env: Env, query: string): Promise<{ ms: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(`${env.url}/api/v1/reports/indicators?${query}`, {
    headers: { authorization: `Bearer ${env.token}` },
  });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (!res.ok) throw new Error(`indicators: ${res.status} ${text.slice(0, 200)}`);
  return { ms, text };
}

export async function indicatorsLatency(env: Env, n = 20, window = "current"): Promise<IndicatorsLatency> {
  const t0 = performance.now();
  const snap = await snapshotSloPeriods({ db: env.db, now: Date.now });
  const snapshotMs = performance.now() - t0;
  const times: number[] = [];
  let text = "";
  for (let i = 0; i <= n; i++) {
    const r = await get(env, `window=${window}`);
    times.push(r.ms);
    text = r.text;
  }
  const body = JSON.parse(text) as { depletion: { remainingAtEnd: number | null }[] };
  await env.db.$executeRawUnsafe(`DELETE FROM slo_snapshots`);
  const computed = await get(env, `window=${window}&includeDefaults=false`);
  const other = JSON.parse(computed.text) as typeof body;
  // a few minutes passed between the two: the current periods' ends differ, their numbers barely
  const same =
    other.depletion.length === body.depletion.length &&
    other.depletion.every(
      (d, i) => Math.abs((d.remainingAtEnd ?? 0) - (body.depletion[i]!.remainingAtEnd ?? 0)) < 0.01,
    );
  const [first, ...rest] = times;
  rest.sort((a, b) => a - b);
  return {
    snapshotMs,
    periodsWritten: snap.periodsWritten,
    first: first!,
    p50: percentile(rest, 0.5),
    p95: percentile(rest, 0.95),
    firstComputed: computed.ms,
    same,
    depletionRows: body.depletion.length,
    bytes: Buffer.byteLength(text),
  };
}
