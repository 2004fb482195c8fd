/**
 * Manager indicators at scale: GET /api/v1/reports/indicators (what the indicators page loads) on 1,000
 * SLO × region with 28 days of SLI history (the evaluation benchmark's seeding, scripts/bench/evaluation.ts).
 * The first call (nothing computed yet), then `n` sequential calls as a page would make them: p50 and p95.
 */
import type { Env } from "./harness.ts";

export interface IndicatorsLatency {
  first: number;
  p50: number;
  p95: number;
  depletionRows: number;
  bytes: number;
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export async function indicatorsLatency(env: Env, n = 20, window = "current"): Promise<IndicatorsLatency> {
  const times: number[] = [];
  let depletionRows = 0;
  let bytes = 0;
  for (let i = 0; i <= n; i++) {
    const t0 = performance.now();
    const res = await fetch(`${env.url}/api/v1/reports/indicators?window=${window}`, {
      headers: { authorization: `Bearer ${env.token}` },
    });
    const text = await res.text();
    times.push(performance.now() - t0);
    if (!res.ok) throw new Error(`indicators: ${res.status} ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { depletion: unknown[] };
    depletionRows = body.depletion.length;
    bytes = Buffer.byteLength(text);
  }
  const [first, ...rest] = times;
  rest.sort((a, b) => a - b);
  return { first: first!, p50: percentile(rest, 0.5), p95: percentile(rest, 0.95), depletionRows, bytes };
}
