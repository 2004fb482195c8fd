/**
 * History import benchmark: `burnrate import-history` (the CLI's own code, in this process) sends a generated
 * NDJSON file of 90 days × 100 endpoints to the API child process; records/s end to end, from the command's
 * start to the API's answer to `finish` (reading the file, chunking, HTTP, parsing, aggregation, the rollup
 * writes of every chunk, and the queueing of the backfills). The file is written before the clock starts, in
 * time order like a log archive. While it runs, a small live ingest batch is posted every second: its
 * latency shows whether the import holds up live traffic (history chunks have their own database slot).
 */
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { importHistory } from "../../apps/cli/src/commands/import-history.ts";
import { parseArgs } from "../../apps/cli/src/options.ts";
import { DAY_MS, HOUR_MS } from "../../packages/slo-core/src/time-units.ts";
import { api, type Env } from "./harness.ts";
import { procCpu } from "./ingest.ts";

/**
 * CPU seconds of the Postgres backends connected to `dbName` (their process title names the database), so that
 * other databases' work on a shared server is not counted; null where /proc is not there.
 */
export function backendsCpu(dbName: string): number | null {
  try {
    let sum = 0;
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      let title: string;
      try {
        title = readFileSync(`/proc/${d}/cmdline`, "utf8");
      } catch {
        continue;
      }
      if (title.startsWith("postgres: ") && title.split(" ").includes(dbName)) sum += procCpu(Number(d)) ?? 0;
    }
    return sum;
  } catch {
    return null;
  }
}
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: s[Math.floor(s.length / 2)] ?? 0, max: s.at(-1) ?? 0 };
};

export interface HistoryResult {
  records: number;
  bytes: number;
  chunks: number;
  seconds: number;
  recordsPerSec: number;
  /** Rollup rows written (minute + hour) per 1,000 records. */
  rowsPerThousand: number;
  /** Live ingest batches posted during the import: median and slowest answer (ms). */
  live: { n: number; p50: number; max: number };
  /** Why live batches were sent again (refused, or their connection closed), one entry per retry. */
  liveRetries: string[];
  /** The same batches for 10 s before the import (the machine's own pace, for comparison). */
  liveBefore: { n: number; p50: number; max: number };
  cpu: { api: number; postgres: number; client: number } | null;
}

const SERVICES = 10;
const ENDPOINTS_PER_SERVICE = 10;
const REGIONS = ["prod-eu", "prod-us"];
const DAYS = 90;

/**
 * Writes `records` lines over the last 90 days (oldest first), 10 services × 10 endpoints × 2 regions, straight
 * into byte buffers (a line is its constant text with the digits written in place: 30M lines take seconds).
 */
export function writeFile(file: string, records: number, nowMs: number): number {
  const from = nowMs - DAYS * DAY_MS;
  const step = (DAYS * DAY_MS - HOUR_MS) / records;
  let s = 7;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  // The text before the timestamp is constant; after it, one of 100 × 2 × 2 stems (endpoint, region, status).
  const head = Buffer.from('{"ts":');
  const stems: Buffer[] = [];
  for (let svc = 0; svc < SERVICES; svc++)
    for (let ep = 0; ep < ENDPOINTS_PER_SERVICE; ep++)
      for (const region of REGIONS)
        for (const status of [200, 503])
          stems.push(
            Buffer.from(
              `,"service":"svc-${svc}","method":"GET","route":"/r${ep}","region":"${region}","status":${status},"durationMs":`,
            ),
          );
  const buf = Buffer.allocUnsafe(16 * 1024 * 1024);
  const fd = openSync(file, "w");
  let pos = 0;
  let bytes = 0;
  const digits = (x: number) => {
    // x ≥ 0, written in decimal at pos.
    let n = 1;
    for (let t = x; t >= 10; t = Math.floor(t / 10)) n++;
    for (let k = n - 1, t = x; k >= 0; k--, t = Math.floor(t / 10)) buf[pos + k] = 48 + (t % 10);
    pos += n;
  };
  try {
    for (let i = 0; i < records; i++) {
      if (pos > buf.length - 512) {
        writeSync(fd, buf, 0, pos);
        bytes += pos;
        pos = 0;
      }
      const r = rnd();
      const svc = r % SERVICES;
      const ep = (r >>> 8) % ENDPOINTS_PER_SERVICE;
      const region = (r >>> 16) & 1;
      const bad = ((r >>> 17) & 127) === 0 ? 1 : 0; // ~0.8% errors
      pos += head.copy(buf, pos);
      digits(Math.floor(from + i * step));
      pos += stems[((svc * ENDPOINTS_PER_SERVICE + ep) * 2 + region) * 2 + bad]!.copy(buf, pos);
      digits((r >>> 20) & 511);
      buf[pos++] = 125; // }
      buf[pos++] = 10;
    }
    writeSync(fd, buf, 0, pos);
    bytes += pos;
  } finally {
    closeSync(fd);
  }
  return bytes;
}

export async function benchHistory(env: Env, records: number, parallel?: number): Promise<HistoryResult> {
  await api(env, "POST", "/api/v1/teams", { slug: "hist", name: "History" });
  for (let s = 0; s < SERVICES; s++) {
    await api(env, "POST", "/api/v1/services", { slug: `svc-${s}`, name: `svc ${s}`, team: "hist" });
    // One SLO per service: the import ends by queueing their backfills.
    await api(env, "POST", "/api/v1/slos", {
      service: `svc-${s}`,
      name: "availability",
      endpoint: "GET /r0",
      sli: { type: "availability" },
      objectivePercent: 99.5,
    });
  }
  const tok = await api(env, "POST", "/api/v1/tokens", { name: "history", scopes: ["history:write"] });
  const dir = mkdtempSync(path.join(tmpdir(), "burnrate-history-bench-"));
  const file = path.join(dir, "history.ndjson");
  try {
    const nowMs = Date.now();
    const bytes = writeFile(file, records, nowMs);
    const o = parseArgs(
      ["import-history", "-f", file, ...(parallel ? ["--parallel", String(parallel)] : [])],
      {
        BURNRATE_URL: env.url,
        BURNRATE_TOKEN: String(tok.token),
      },
    );
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: () => undefined };

    // Live traffic: one 1,000-line batch a second, each answer timed; 10 s of it before the import.
    let liveMs: number[] = [];
    let liveSent = 0;
    const liveRetries: string[] = [];
    let live = true;
    const liveLoop = (async () => {
      while (live) {
        const t = Date.now();
        const body = Array.from(
          { length: 1000 },
          (_, i) =>
            `{"ts":${t - (i % 60) * 1000},"service":"svc-${i % SERVICES}","method":"GET","route":"/r0","region":"prod-eu","status":200,"durationMs":20}`,
        ).join("\n");
        const t0 = performance.now();
        // A batch the API refused (503, Retry-After) or whose connection it closed is sent again with its
        // Idempotency-Key (counted once), as a client would; its time includes the wait and the retry.
        const key = `live-${liveSent++}`;
        for (let attempt = 1; ; attempt++) {
          let problem: string;
          try {
            const res = await fetch(`${env.url}/api/v1/ingest/requests`, {
              method: "POST",
              headers: {
                authorization: `Bearer ${env.token}`,
                "content-type": "application/x-ndjson",
                "idempotency-key": key,
              },
              body,
            });
            const text = await res.text();
            if (res.ok) break;
            if (res.status !== 503 && res.status !== 429)
              throw new Error(`live batch: HTTP ${res.status}: ${text}`);
            problem = `HTTP ${res.status}: ${text.slice(0, 200)}`;
          } catch (e) {
            if (String(e).includes("live batch")) throw e;
            problem = String((e as { cause?: unknown }).cause ?? e);
          }
          liveRetries.push(problem);
          if (attempt >= 10) throw new Error(`live batch: no answer after 10 tries (${problem})`);
          await new Promise((r) => setTimeout(r, 500));
        }
        liveMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();

    await new Promise((r) => setTimeout(r, 10_000));
    const before = liveMs;
    liveMs = [];
    const dbName = new URL(env.databaseUrl).pathname.slice(1);
    const cpu0 = { api: procCpu(env.pid), pg: backendsCpu(dbName), client: process.cpuUsage() };
    const t0 = performance.now();
    const code = await importHistory(o, io);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = { api: procCpu(env.pid), pg: backendsCpu(dbName), client: process.cpuUsage(cpu0.client) };
    live = false;
    await liveLoop;
    const during = liveMs;
    if (code !== 0) throw new Error(`import-history exited with ${code}`);
    const m = /^imported (\d+) records \((\d+) rejected\) .* in (\d+) chunks/.exec(out[0] ?? "");
    if (!m || Number(m[1]) !== records || Number(m[2]) !== 0)
      throw new Error(`import-history: ${out.join(" / ")}`);
    const [rows] = await env.db.$queryRawUnsafe<{ n: number; sum: number }[]>(
      `SELECT (SELECT count(*) FROM request_rollups) + (SELECT count(*) FROM request_rollups_hourly) AS n,
              (SELECT coalesce(sum(count), 0) FROM request_rollups) + (SELECT coalesce(sum(count), 0) FROM request_rollups_hourly) AS sum`,
    );
    // Every record once (the live batches add theirs too).
    const liveRecords = (before.length + during.length) * 1000;
    if (Number(rows!.sum) !== records + liveRecords)
      throw new Error(`rollups hold ${rows!.sum} requests, expected ${records + liveRecords}`);
    return {
      records,
      bytes,
      chunks: Number(m[3]),
      seconds,
      recordsPerSec: records / seconds,
      rowsPerThousand: (Number(rows!.n) / records) * 1000,
      live: stats(during),
      liveRetries,
      liveBefore: stats(before),
      cpu:
        cpu0.api !== null && cpu1.api !== null && cpu0.pg !== null && cpu1.pg !== null
          ? {
              api: cpu1.api - cpu0.api,
              postgres: cpu1.pg - cpu0.pg,
              client: (cpu1.client.user + cpu1.client.system) / 1e6,
            }
          : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
