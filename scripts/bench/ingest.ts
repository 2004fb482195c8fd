/**
 * Ingest benchmark: NDJSON over HTTP to the API child process (20,000-line batches of simulator traffic, 2 in
 * flight) against bare `JSON.parse` of the same lines in this process. `pnpm bench --only=ingest` runs just this;
 * `--phases` adds where the API's time goes, measured in this process on the same batches.
 */
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DEMO_CATALOG, expectedRecords, generateChunks } from "../lib/traffic.ts";
import { api, post, type Env } from "./harness.ts";

const MIN = 60_000;

export interface IngestResult {
  records: number;
  batches: number;
  batchLines: number;
  seconds: number;
  recordsPerSec: number;
  bareParsePerSec: number;
  ratio: number;
  /** CPU seconds spent during the HTTP run by the API process, all postgres processes, and this process (Linux). */
  cpu: { api: number; postgres: number; client: number } | null;
}

/** CPU seconds (user + system) of one process, from /proc; null where /proc is not there. */
function procCpu(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** CPU seconds of every process named postgres (the server and its backends; the machine's other users too). */
function postgresCpu(): number | null {
  try {
    let sum = 0;
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (readFileSync(`/proc/${d}/comm`, "utf8").trim() !== "postgres") continue;
      } catch {
        continue;
      }
      sum += procCpu(Number(d)) ?? 0;
    }
    return sum;
  } catch {
    return null;
  }
}

/** 20k-line NDJSON batches of the last ~40 minutes of simulator traffic, scaled to about `targetRecords`. */
export function ingestBatches(targetRecords = 400_000, nowMs = Date.now()): string[] {
  const to = nowMs - MIN;
  const from = to - 40 * MIN;
  const scale = targetRecords / expectedRecords(from, to, { seed: 7 });
  const batches: string[] = [];
  for (const c of generateChunks(from, to, { seed: 7, scale, maxRecords: 20_000 })) {
    let s = "";
    for (const r of c.records) s += JSON.stringify(r) + "\n";
    batches.push(s);
  }
  return batches;
}

/** Registers the simulator's teams and services (ingest refuses unknown services). */
export async function registerCatalog(env: Env): Promise<void> {
  for (const t of DEMO_CATALOG.teams) await api(env, "POST", "/api/v1/teams", t);
  for (const s of DEMO_CATALOG.services)
    await api(env, "POST", "/api/v1/services", { slug: s.slug, name: s.name, team: s.team });
}

/** Bare JSON.parse of every line of `batches`, one process, best of `runs`: lines per second. */
export function bareParsePerSec(batches: string[], runs = 3): { perSec: number; lines: number } {
  let best = Infinity;
  let lines = 0;
  for (let k = 0; k < runs; k++) {
    const p0 = performance.now();
    let n = 0;
    for (const text of batches) {
      let start = 0;
      for (;;) {
        const end = text.indexOf("\n", start);
        if (end === -1) break;
        JSON.parse(text.slice(start, end));
        n++;
        start = end + 1;
      }
    }
    lines = n;
    best = Math.min(best, performance.now() - p0);
  }
  return { perSec: lines / (best / 1000), lines };
}

/** NDJSON ingest through HTTP (20k-line batches from the traffic simulator), and bare JSON.parse of the same lines. */
export async function benchIngest(env: Env, targetRecords = 400_000, concurrency = 2): Promise<IngestResult> {
  await registerCatalog(env);
  const batches = ingestBatches(targetRecords);
  // Warm-up: one batch (JIT, connection pools, endpoint and region creation); not counted.
  await post(env, batches[0]!);
  const measured = batches.slice(1);
  const cpu0 = { api: procCpu(env.pid), postgres: postgresCpu(), client: process.cpuUsage() };
  const t0 = performance.now();
  let next = 0;
  let accepted = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < measured.length) {
        const b = measured[next++]!;
        const r = await post(env, b);
        accepted += r.accepted;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const apiCpu = procCpu(env.pid);
  const pgCpu = postgresCpu();
  const clientCpu = process.cpuUsage(cpu0.client);
  const cpu =
    cpu0.api === null || apiCpu === null || cpu0.postgres === null || pgCpu === null
      ? null
      : {
          api: apiCpu - cpu0.api,
          postgres: pgCpu - cpu0.postgres,
          client: (clientCpu.user + clientCpu.system) / 1e6,
        };
  // Bare JSON.parse of the same lines, one process (best of 3).
  const bare = bareParsePerSec(measured);
  if (accepted !== bare.lines) throw new Error(`ingest accepted ${accepted} of ${bare.lines} records`);
  const recordsPerSec = bare.lines / seconds;
  return {
    records: bare.lines,
    batches: measured.length,
    batchLines: 20_000,
    seconds,
    recordsPerSec,
    bareParsePerSec: bare.perSec,
    ratio: recordsPerSec / bare.perSec,
    cpu,
  };
}

/**
 * Where the API's ingest time goes, measured in this process on batches of the same shape (a fresh time range,
 * so the upserts insert as in the HTTP run): parse + validate, then aggregation + SQL, then the SQL alone.
 */
export async function ingestPhases(env: Env): Promise<{ what: string; value: string }[]> {
  const { parseNdjson, ingestRecords } = await import("../../apps/api/src/services/ingest.ts");
  const { Redis } = await import("ioredis");
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  try {
    const nowMs = Date.now();
    const batches = ingestBatches(400_000, nowMs - 2 * 3600_000).slice(1);
    const bare = bareParsePerSec(batches);
    const lines = bare.lines;
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      for (const b of batches) parseNdjson(b, nowMs);
      best = Math.min(best, performance.now() - t0);
    }
    const parsed = batches.map((b) => parseNdjson(b, nowMs));
    let sqlMs = 0;
    let sqlN = 0;
    const db = new Proxy(env.db, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv) as unknown;
        if (prop !== "$executeRawUnsafe" || typeof v !== "function") return v;
        return async (q: string, ...args: unknown[]) => {
          const t0 = performance.now();
          const r = await (v as (...a: unknown[]) => Promise<unknown>).call(target, q, ...args);
          if (/^\s*INSERT INTO request_rollups\b/.test(q)) {
            sqlMs += performance.now() - t0;
            sqlN++;
          }
          return r;
        };
      },
    });
    const actor = {
      kind: "token" as const,
      id: "bench",
      label: "bench",
      scopes: new Set(["ingest" as const]),
      teamId: null,
    };
    const deps = { db, redis, actor, nowMs, queuePrefix: "benchphases" };
    const t0 = performance.now();
    let accepted = 0;
    for (const p of parsed) accepted += (await ingestRecords(deps, p)).accepted;
    const ingestMs = performance.now() - t0;
    if (accepted !== lines) throw new Error(`phases: ${accepted} of ${lines} accepted`);
    return [
      { what: "bare JSON.parse (same shape)", value: `${fmt(bare.perSec)} lines/s` },
      { what: "parseNdjson (parse + validate)", value: `${fmt(lines / (best / 1000))} lines/s` },
      {
        what: "ingestRecords (lookups + aggregate + SQL + redis)",
        value: `${fmt(lines / (ingestMs / 1000))} rec/s`,
      },
      {
        what: `  of which rollup upsert SQL (${sqlN} statements)`,
        value: `${fmt(sqlMs)} ms of ${fmt(ingestMs)}`,
      },
      {
        what: "parse + ingestRecords, sequential",
        value: `${fmt(lines / ((best + ingestMs) / 1000))} rec/s`,
      },
    ];
  } finally {
    redis.disconnect();
  }
}
