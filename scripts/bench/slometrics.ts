/**
 * GET /metrics/slos scrape time: after an evaluation cycle has written the snapshot of every SLO × region (and
 * every SLO's all-regions row), sequential scrapes over HTTP as a Prometheus would send them, each read in full,
 * in two kinds (after 2 warm-up scrapes):
 *  - the first scrape of a new snapshot, which writes the text: before each, every snapshot row is written again
 *    (UPDATE … SET remaining = remaining: a new row version, as the next cycle's rewrite makes), outside the timing;
 *  - a scrape of the same snapshot, served the text already written (Prometheus scrapes several times per cycle).
 * Each asks for gzip, as Prometheus does. For each: the median and the slowest wall time, and the API's CPU per scrape (user + system, all threads: on a
 * machine shared with other work the wall time includes waiting for a core). Also the size of one answer.
 */
import type { Env } from "./harness.ts";
import { cpuSeconds } from "./idle.ts";

export interface ScrapeTimes {
  p50: number;
  max: number;
  cpuMs: number;
}

export interface ScrapeLatency {
  /** the first scrape of each new snapshot (the text written) */
  fresh: ScrapeTimes;
  /** scrapes of a snapshot already written out */
  kept: ScrapeTimes;
  bytes: number;
  samples: number;
  rows: number;
}

async function scrape(env: Env): Promise<{ ms: number; cpuMs: number; text: string }> {
  const c0 = cpuSeconds(env.pid);
  const t0 = performance.now();
  // as Prometheus asks (fetch gunzips; the time includes that and reading the text, as a scrape's does)
  const res = await fetch(`${env.url}/metrics/slos`, { headers: { "accept-encoding": "gzip" } });
  const text = await res.text();
  if (!res.ok) throw new Error(`/metrics/slos: ${res.status}`);
  return { ms: performance.now() - t0, cpuMs: (cpuSeconds(env.pid) - c0) * 1000, text };
}

function summary(runs: { ms: number; cpuMs: number }[]): ScrapeTimes {
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
  return { p50: ms[Math.floor(ms.length / 2)]!, max: ms.at(-1)!, cpuMs: cpu[Math.floor(cpu.length / 2)]! };
}

export async function scrapeLatency(env: Env, n = 10): Promise<ScrapeLatency> {
  let text = "";
  for (let i = 0; i < 2; i++) text = (await scrape(env)).text;
  const fresh: { ms: number; cpuMs: number }[] = [];
  const kept: { ms: number; cpuMs: number }[] = [];
  for (let i = 0; i < n; i++) {
    await env.db.$executeRawUnsafe(`UPDATE slo_metric_snapshots SET remaining = remaining`);
    fresh.push(await scrape(env));
    kept.push(await scrape(env));
  }
  const [r] = await env.db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM slo_metric_snapshots`,
  );
  return {
    fresh: summary(fresh),
    kept: summary(kept),
    bytes: Buffer.byteLength(text),
    samples: text.split("\n").filter((l) => l && !l.startsWith("#")).length,
    rows: Number(r!.n),
  };
}
