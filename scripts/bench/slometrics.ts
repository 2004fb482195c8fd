/**
 * GET /metrics/slos scrape time: after an evaluation cycle has written the snapshot of every SLO × region (and
 * every SLO's all-regions row), `n` sequential scrapes over HTTP (after 3 warm-up), as a Prometheus would send
 * them. Returns the median and the slowest wall time, the API's CPU per scrape (user + system, all threads: on
 * a machine shared with other work the wall time includes waiting for a core), and the size of one answer.
 */
import type { Env } from "./harness.ts";
import { cpuSeconds } from "./idle.ts";

export async function scrapeLatency(
  env: Env,
  n = 10,
): Promise<{ p50: number; max: number; cpuMs: number; bytes: number; samples: number; rows: number }> {
  const times: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  let samples = 0;
  for (let i = 0; i < n + 3; i++) {
    const c0 = cpuSeconds(env.pid);
    const t0 = performance.now();
    const res = await fetch(`${env.url}/metrics/slos`);
    const text = await res.text();
    if (!res.ok) throw new Error(`/metrics/slos: ${res.status}`);
    if (i >= 3) {
      times.push(performance.now() - t0);
      cpu.push((cpuSeconds(env.pid) - c0) * 1000);
    }
    bytes = Buffer.byteLength(text);
    samples = text.split("\n").filter((l) => l && !l.startsWith("#")).length;
  }
  const [r] = await env.db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM slo_metric_snapshots`,
  );
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(n / 2)]!,
    max: times.at(-1)!,
    cpuMs: cpu[Math.floor(n / 2)]!,
    bytes,
    samples,
    rows: Number(r!.n),
  };
}
