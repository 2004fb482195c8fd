/**
 * Ingest benchmark: NDJSON over HTTP to the API child process (20,000-line batches of simulator traffic, several
 * in flight) against bare `JSON.parse` of the same lines in this process. `pnpm bench --only=ingest` runs just this;
 * `--phases` adds where the API's time goes, measured in this process on the same batches.
 *
 * The load generator is node:http with a keep-alive agent, posting the batches encoded to bytes before the clock
 * starts (a log shipper sends bytes). `pnpm bench --only=ingest --client=fetch` posts the strings with fetch()
 * instead, as the first versions of this benchmark did: undici's per-request cost then takes ~0.7 CPU-s of the
 * two shared cores for the 19 batches, as much as the API itself (measured against a server that discards the
 * body).
 */
import http from "node:http";
import os from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { DEMO_CATALOG, expectedRecords, generateChunks } from "../lib/traffic.ts";
import { HOUR_MS, MINUTE_MS } from "../../packages/slo-core/src/time-units.ts";
import { api, post, type Env } from "./harness.ts";

export interface IngestResult {
  records: number;
  batches: number;
  /** Batches the API shed (429/503 with Retry-After) and the bench sent again after the delay. */
  retries: number;
  batchLines: number;
  seconds: number;
  recordsPerSec: number;
  bareParsePerSec: number;
  ratio: number;
  /**
   * CPU seconds spent during the HTTP run by the API process (all threads; `apiMain`: its main thread), the
   * Postgres backends of the bench's database, and this process (Linux).
   */
  cpu: { api: number; apiMain: number; postgres: number; client: number } | null;
  /** The load average (1 minute) at the end of the HTTP run. */
  load: number;
}

/** CPU seconds (user + system) of one process (or of its thread `tid`), from /proc; null where /proc is not there. */
export function procCpu(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(
      tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`,
      "utf8",
    );
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/**
 * CPU seconds of the Postgres processes: with `dbName`, only the backends connected to that database (their
 * process title names it), so other databases' work on a shared server is not counted; without it, every
 * process named postgres (the server's own processes too).
 */
function postgresCpu(dbName?: string): number | null {
  try {
    let sum = 0;
    for (const d of readdirSync("/proc")) {
      if (!/^\d+$/.test(d)) continue;
      try {
        if (dbName === undefined) {
          if (readFileSync(`/proc/${d}/comm`, "utf8").trim() !== "postgres") continue;
        } else {
          const title = readFileSync(`/proc/${d}/cmdline`, "utf8");
          if (!title.startsWith("postgres: ") || !title.split(" ").includes(dbName)) continue;
        }
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
  const to = nowMs - MINUTE_MS;
  const from = to - 40 * MINUTE_MS;
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

/** `JSON.parse` of every line of every batch; returns the number of lines. */
function parseEveryLine(batches: string[]): number {
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
  return n;
}

/** Bare JSON.parse of every line of `batches`, one process, best of `runs`: lines per second. */
export function bareParsePerSec(batches: string[], runs = 3): { perSec: number; lines: number } {
  let best = Infinity;
  let lines = 0;
  for (let k = 0; k < runs; k++) {
    const p0 = performance.now();
    lines = parseEveryLine(batches);
    best = Math.min(best, performance.now() - p0);
  }
  return { perSec: lines / (best / 1000), lines };
}

export type IngestClient = "http" | "fetch";

/** Ingest answers that asked the client to come back later (429/503 with Retry-After), over the whole process. */
let ingestRetries = 0;

/**
 * POSTs one NDJSON body with node:http (keep-alive), again after Retry-After when the API sheds load (as an
 * exporter does); throws unless every line is accepted.
 */
async function postBytes(
  env: Env,
  agent: http.Agent,
  body: Buffer,
): Promise<{ accepted: number; rejected: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await postBytesOnce(env, agent, body);
    } catch (e) {
      const retryAfter = (e as { retryAfter?: number }).retryAfter;
      if (retryAfter === undefined || attempt >= 20) throw e;
      ingestRetries++;
      console.error(
        `bench: ingest shed a batch (${(e as Error).message.slice(0, 80)}); retrying after ${retryAfter} s`,
      );
      await new Promise((r) => setTimeout(r, retryAfter * 1000));
    }
  }
}

function postBytesOnce(
  env: Env,
  agent: http.Agent,
  body: Buffer,
): Promise<{ accepted: number; rejected: number }> {
  const url = new URL(env.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/api/v1/ingest/requests",
        agent,
        headers: {
          authorization: `Bearer ${env.token}`,
          "content-type": "application/x-ndjson",
          "content-length": body.length,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          const out = JSON.parse(text) as { accepted: number; rejected: number };
          if (res.statusCode !== 200 || out.rejected) {
            const err = new Error(`ingest: ${res.statusCode} ${text.slice(0, 300)}`);
            const ra = Number(res.headers["retry-after"]);
            if ((res.statusCode === 429 || res.statusCode === 503) && Number.isFinite(ra))
              Object.assign(err, { retryAfter: ra });
            reject(err);
          } else resolve(out);
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** NDJSON ingest through HTTP (20k-line batches from the traffic simulator), and bare JSON.parse of the same lines. */
export async function benchIngest(
  env: Env,
  targetRecords = 400_000,
  concurrency = 2,
  client: IngestClient = process.argv.includes("--client=fetch") ? "fetch" : "http",
): Promise<IngestResult> {
  await registerCatalog(env);
  const batches = ingestBatches(targetRecords);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const bodies = batches.map((b) => Buffer.from(b));
  const send = (i: number) =>
    client === "fetch" ? post(env, batches[i]!) : postBytes(env, agent, bodies[i]!);
  const measured = batches.slice(1);
  // Bare JSON.parse of the same lines, one process: best of 3 before the HTTP run (Postgres idle) and best of 3
  // after it; the faster figure is the denominator (the conservative ratio).
  const bareBefore = bareParsePerSec(measured);
  // Warm-up: one batch (JIT, connection pools, endpoint and region creation); not counted.
  await send(0);
  const dbName = new URL(env.databaseUrl).pathname.slice(1);
  const cpu0 = {
    api: procCpu(env.pid),
    apiMain: procCpu(env.pid, env.pid),
    postgres: postgresCpu(dbName),
    client: process.cpuUsage(),
  };
  const t0 = performance.now();
  let next = 0;
  let accepted = 0;
  const retries0 = ingestRetries;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < measured.length) {
        const r = await send(1 + next++);
        accepted += r.accepted;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  const apiCpu = procCpu(env.pid);
  const apiMain = procCpu(env.pid, env.pid);
  const pgCpu = postgresCpu(dbName);
  const load = os.loadavg()[0] ?? 0;
  const clientCpu = process.cpuUsage(cpu0.client);
  const cpu =
    cpu0.api === null || apiCpu === null || cpu0.postgres === null || pgCpu === null
      ? null
      : {
          api: apiCpu - cpu0.api,
          apiMain: (apiMain ?? 0) - (cpu0.apiMain ?? 0),
          postgres: pgCpu - cpu0.postgres,
          client: (clientCpu.user + clientCpu.system) / 1e6,
        };
  const bareAfter = bareParsePerSec(measured);
  const bare = bareBefore.perSec >= bareAfter.perSec ? bareBefore : bareAfter;
  if (accepted !== bare.lines) throw new Error(`ingest accepted ${accepted} of ${bare.lines} records`);
  const recordsPerSec = bare.lines / seconds;
  return {
    records: bare.lines,
    batches: measured.length,
    retries: ingestRetries - retries0,
    batchLines: 20_000,
    seconds,
    recordsPerSec,
    bareParsePerSec: bare.perSec,
    ratio: recordsPerSec / bare.perSec,
    cpu,
    load,
  };
}

/**
 * Where the API's ingest time goes, measured in this process on batches of the same shape (a fresh time range,
 * so the upserts insert as in the HTTP run), in CPU time of this process (less sensitive to a busy machine
 * than wall time): the bare parse, the NDJSON parser with and without its fast path, then ingestRecords
 * (service lookup, aggregation, endpoint/region upserts, rollup upsert, dirty marks) with Postgres' CPU meanwhile.
 */
export async function ingestPhases(env: Env): Promise<{ what: string; value: string }[]> {
  const { parseNdjson } = await import("../../packages/ingest/src/index.ts");
  const { ingestRecords } = await import("../../apps/api/src/services/ingest/ingest-records.ts");
  const { Redis } = await import("ioredis");
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  const cpuMs = (f: () => void, runs = 3) => {
    let best = Infinity;
    for (let k = 0; k < runs; k++) {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      best = Math.min(best, (c.user + c.system) / 1000);
    }
    return best;
  };
  try {
    const nowMs = Date.now();
    const batches = ingestBatches(400_000, nowMs - 2 * HOUR_MS).slice(1);
    const bodies = batches.map((b) => Buffer.from(b));
    let lines = 0;
    const bare = cpuMs(() => {
      lines = parseEveryLine(batches);
    });
    const fast = cpuMs(() => {
      for (const b of bodies) parseNdjson(b, nowMs);
    });
    const slowMs = cpuMs(() => {
      for (const b of bodies) parseNdjson(b, nowMs, { fastPath: false });
    });
    const parsed = bodies.map((b) => parseNdjson(b, nowMs));
    const db = env.db;
    const actor = {
      kind: "token" as const,
      id: "bench",
      label: "bench",
      scopes: new Set(["ingest" as const]),
      teamId: null,
    };
    const deps = { db, redis, actor, nowMs, queuePrefix: "benchphases" };
    // Warm-up on another time range (JIT, statement caches, partitions), as the HTTP run's first batch.
    const warm = ingestBatches(100_000, nowMs - 4 * HOUR_MS).map((b) => Buffer.from(b));
    for (const b of warm) await ingestRecords(deps, parseNdjson(b, nowMs));
    const dbName = new URL(env.databaseUrl).pathname.slice(1);
    const pg0 = postgresCpu(dbName);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let accepted = 0;
    for (const p of parsed) accepted += (await ingestRecords(deps, p)).accepted;
    const ingestWall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const ingestCpu = (c.user + c.system) / 1000;
    const pg1 = postgresCpu(dbName);
    const pgMs = pg0 === null || pg1 === null ? null : (pg1 - pg0) * 1000;
    if (accepted !== lines) throw new Error(`phases: ${accepted} of ${lines} accepted`);
    const rate = (ms: number) => `${fmt(lines / (ms / 1000))}/s (${fmt(ms)} ms CPU)`;
    return [
      { what: `bare JSON.parse, ${fmt(lines)} lines`, value: rate(bare) },
      { what: "parseNdjson, fast path", value: rate(fast) },
      { what: "parseNdjson, slow path only (JSON.parse + validate)", value: rate(slowMs) },
      {
        what: "ingestRecords (lookups, aggregation, SQL, redis)",
        value: `${rate(ingestCpu)}, ${fmt(ingestWall)} ms wall`,
      },
      ...(pgMs === null ? [] : [{ what: "  postgres CPU meanwhile", value: `${fmt(pgMs)} ms` }]),
      { what: "parse (fast) + ingestRecords, CPU of this process", value: rate(fast + ingestCpu) },
    ];
  } finally {
    redis.disconnect();
  }
}
