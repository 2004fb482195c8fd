/**
 * Ingest under faults (`pnpm chaos --only=ingest`). The API runs as a child process (scripts/bench/harness.ts)
 * on a fresh database of the machine's Postgres, so its RSS is its own:
 *  - overload: the sustainable rate measured first (4 senders, closed loop), then 5× that rate open-loop for
 *    60 s (quick: 15 s): statuses (only 2xx and 429/503 with Retry-After), p99 of accepted requests, API RSS
 *    peak and 60 s after, GET /api/v1/slos latency throughout;
 *  - concurrency: 64 batches at once over the same rows and new endpoints: deadlocks (pg_stat_database) and
 *    stored vs acknowledged records;
 *  - cardinality: a burst of 10,000 new endpoints into a service with default SLOs: refused beyond the cap,
 *    line by line; the evaluation cycle before and after.
 */
import http from "node:http";
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { sqlRows } from "../../packages/db/src/index.ts";
import { api, startApi, type Env } from "../bench/harness.ts";
import { ingestBatches, registerCatalog } from "../bench/ingest.ts";
import { runEvalCycle, seedEvaluation } from "../bench/evaluation.ts";
import { median, quantile, sleep, type ChaosScenario } from "./lib.ts";

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Answer {
  status: number;
  ms: number;
  /** From the moment the request had a connection (overload sender only). */
  fromConnMs?: number;
  retryAfter: string | null;
  body: string;
  /** The network error's code, when status is 0 (overload sender only). */
  error?: string | null;
}

/** One request over node:http (a keep-alive agent): status, time, Retry-After; status 0 = network error. */
function send(
  env: Env,
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
  fresh = false,
) {
  return new Promise<Answer>((resolve) => {
    const t0 = performance.now();
    const u = new URL(path, env.url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        agent: fresh ? false : agent, // fresh: a new connection (the server must accept it first)
        timeout: 30_000,
        headers: {
          authorization: `Bearer ${env.token}`,
          ...(body ? { "content-type": "application/x-ndjson", "content-length": String(body.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: performance.now() - t0,
            retryAfter: (res.headers["retry-after"] as string | undefined) ?? null,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", () => resolve({ status: 0, ms: performance.now() - t0, retryAfter: null, body: "" }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (e) =>
      resolve({ status: 0, ms: performance.now() - t0, retryAfter: null, body: String(e.message) }),
    );
    req.end(body);
  });
}

/** The API's own histogram of accepted ingest requests (onRequest to answer): cumulative count per bucket. */
async function serverBuckets(env: Env): Promise<Map<number, number>> {
  const text = (await send(env, "GET", "/metrics")).body;
  const out = new Map<number, number>();
  for (const line of text.split("\n")) {
    if (!line.startsWith("burnrate_http_request_duration_seconds_bucket{")) continue;
    if (!line.includes('route="/api/v1/ingest/requests"') || !line.includes('status="200"')) continue;
    const le = /le="([^"]+)"/.exec(line)![1]!;
    out.set(le === "+Inf" ? Infinity : Number(le), Number(line.slice(line.lastIndexOf(" ") + 1)));
  }
  return out;
}

/** The upper bound of the bucket holding quantile q of the requests counted between two snapshots. */
function bucketQuantile(before: Map<number, number>, after: Map<number, number>, q: number): number {
  const les = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const le of les) if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= q * total) return le;
  return Infinity;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** BURNRATE_* variables of this process given to the API (to try other limits: `BURNRATE_INGEST_… pnpm chaos`). */
function envOverride(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith("BURNRATE_INGEST_") && e[1] !== undefined,
    ),
  );
}

const fmt = (n: number, d = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

/**
 * 5× overload from one kind of client: `expectContinue` clients send `Expect: 100-continue` (curl does for large
 * bodies) and upload only once admitted; plain clients upload every body whether or not it is refused.
 */
const overloadScenario = (name: string, expectContinue: boolean): ChaosScenario => ({
  name,
  async run(ctx) {
    const S = this.name;
    const prof = process.env.CHAOS_API_CPU_PROF; // a directory: the API writes a CPU profile there
    const env = await startApi(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [], envOverride());
    try {
      await registerCatalog(env);
      // 20k-line batches of simulator traffic (~2 MB each), as the ingest benchmark sends them.
      const batches = ingestBatches(ctx.quick ? 400_000 : 800_000).map((b) => Buffer.from(b, "utf8"));
      const linesOf = (b: Buffer) => {
        let n = 0;
        for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++;
        return n;
      };
      const lines = batches.map(linesOf);
      ctx.log(`${batches.length} batches of ~${fmt(lines[0]! / 1000)}k lines`);

      // Sustainable: 4 senders back to back.
      const sustainMs = ctx.quick ? 4000 : 8000;
      let sent = 0;
      let records = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (performance.now() - t0 < sustainMs) {
            const i = sent++ % batches.length;
            const a = await send(env, "POST", "/api/v1/ingest/requests", batches[i]);
            if (a.status === 200) records += lines[i]!;
          }
        }),
      );
      const sustainable = records / ((performance.now() - t0) / 1000);
      const batchesPerSec = sustainable / lines[0]!;
      ctx.log(`sustainable ≈ ${fmt(sustainable)} records/s (${fmt(batchesPerSec, 1)} batches/s)`);

      // GET /api/v1/slos on the idle API, for comparison.
      const idle: number[] = [];
      for (let i = 0; i < 10; i++) idle.push((await send(env, "GET", "/api/v1/slos")).ms);

      // 5×, open loop: a batch every 1/(5 × rate) s whatever the answers.
      const runMs = ctx.quick ? 15_000 : 60_000;
      const every = 1000 / (5 * batchesPerSec);
      const rssBefore = rssMb(env.pid);
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(env.pid))), 200);
      const slosMs: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const a = await send(env, "GET", "/api/v1/slos");
          slosMs.push(a.status === 200 ? a.ms : Infinity);
          await sleep(250);
        }
      })();
      // /healthz on a new connection each time: what a new client waits for (accept, then the answer).
      const freshMs: number[] = [];
      const freshPoller = (async () => {
        while (polling) {
          const a = await send(env, "GET", "/healthz", undefined, {}, true);
          freshMs.push(a.status === 200 ? a.ms : Infinity);
          await sleep(250);
        }
      })();
      const bucketsBefore = await serverBuckets(env);
      // The sender runs in a thread of its own: its work does not delay the poller's clock.
      const all = await new Promise<Answer[]>((resolve, reject) => {
        const w = new Worker(new URL("./ingest-load.mjs", import.meta.url), {
          workerData: { url: env.url, token: env.token, batches, every, runMs, expectContinue },
        });
        w.once("message", resolve);
        w.once("error", reject);
      });
      polling = false;
      await poller;
      await freshPoller;
      clearInterval(sampler);
      const loadEnded = performance.now();
      const serverP99 = bucketQuantile(bucketsBefore, await serverBuckets(env), 0.99);
      const by = new Map<string, number>();
      for (const a of all) by.set(String(a.status), (by.get(String(a.status)) ?? 0) + 1);
      const ok = all.filter((a) => a.status === 200);
      const shed = all.filter((a) => a.status === 429 || a.status === 503);
      const shedWithRetry = shed.filter((a) => a.retryAfter !== null).length;
      const bad = all.filter((a) => !(a.status === 200 || a.status === 429 || a.status === 503));
      const p99 = quantile(
        ok.map((a) => a.fromConnMs ?? a.ms).sort((x, y) => x - y),
        0.99,
      );
      const p99Send = quantile(
        ok.map((a) => a.ms).sort((x, y) => x - y),
        0.99,
      );
      const offered = all.length / (runMs / 1000);
      const q = (xs: number[]) => {
        const v = [...xs].sort((x, y) => x - y);
        return [0.5, 0.9, 0.99].map((p) => fmt(quantile(v, p))).join(" / ");
      };
      ctx.log(
        `accepted p50/p90/p99 from connection ${q(ok.map((a) => a.fromConnMs ?? a.ms))} ms; refused ${q(shed.map((a) => a.fromConnMs ?? a.ms))} ms`,
      );
      const slosMax = Math.max(...slosMs);
      ctx.log(
        `GET /healthz on a new connection: median ${fmt(median(freshMs))} ms, max ${fmt(Math.max(...freshMs))} ms (${freshMs.length} polls)`,
      );
      const errors = new Map<string, number>();
      for (const a of bad)
        errors.set(a.error ?? String(a.status), (errors.get(a.error ?? String(a.status)) ?? 0) + 1);
      ctx.log(
        `statuses ${JSON.stringify(Object.fromEntries(by))}; failures ${JSON.stringify(Object.fromEntries(errors))}; waiting 60 s for RSS`,
      );
      // RSS a minute after the load.
      await sleep(Math.max(0, 60_000 - (performance.now() - loadEnded)));
      const rssAfter = rssMb(env.pid);
      const load = os.loadavg()[1]!;
      const statuses = [...by.entries()].map(([s, n]) => `${s}: ${n}`).join(", ");
      return [
        {
          scenario: S,
          check: `machine load average (5 min) on ${os.cpus().length} cores`,
          value: fmt(load, 1),
          target: "context",
          ok: true,
        },
        {
          scenario: S,
          check: "sustainable rate (4 senders, 20k-line batches)",
          value: `${fmt(sustainable)} records/s`,
          target: "measured",
          ok: sustainable > 0,
        },
        {
          scenario: S,
          check: `answers at 5× for ${runMs / 1000} s (${all.length} requests, ${fmt(offered, 1)}/s offered of ${fmt(5 * batchesPerSec, 1)}/s)`,
          value: statuses,
          target: "only 200 and 429/503",
          ok: bad.length === 0 && ok.length > 0,
        },
        {
          scenario: S,
          check: "429/503 with Retry-After",
          value: `${shedWithRetry} of ${shed.length}`,
          target: "all",
          ok: shedWithRetry === shed.length,
        },
        {
          scenario: S,
          check: "5xx other than 503, network errors",
          value: String(bad.length),
          target: "0",
          ok: bad.length === 0,
        },
        {
          scenario: S,
          check: "p99 of accepted requests, the API's own histogram (onRequest to answer)",
          value: `≤ ${fmt(serverP99 * 1000)} ms (bucket)`,
          target: "≤ 2,000 ms",
          ok: serverP99 <= 2,
        },
        {
          scenario: S,
          check: "p99 of accepted requests at the sender (from connection; from send)",
          value: `${fmt(p99)} ms (${fmt(p99Send)} ms)`,
          target: "≤ 2,000 ms",
          ok: p99 <= 2000,
        },
        {
          scenario: S,
          check: "records accepted during the overload",
          value: `${fmt(ok.length * lines[0]!)} (${fmt((ok.length * lines[0]!) / (runMs / 1000))}/s)`,
          target: "measured",
          ok: ok.length > 0,
        },
        {
          scenario: S,
          check: "API RSS peak (before the run)",
          value: `${fmt(rssPeak)} MB (${fmt(rssBefore)} MB)`,
          target: "≤ 600 MB",
          ok: rssPeak <= 600,
        },
        {
          scenario: S,
          check: "API RSS 60 s after the run",
          value: `${fmt(rssAfter)} MB`,
          target: "≤ 300 MB",
          ok: rssAfter <= 300,
        },
        {
          scenario: S,
          check: `GET /api/v1/slos during the run (${slosMs.length} polls): max`,
          value: `${fmt(slosMax)} ms (median ${fmt(median(slosMs))} ms; idle median ${fmt(median(idle))} ms)`,
          target: "< 1,000 ms",
          ok: slosMax < 1000,
        },
      ];
    } finally {
      await env.stop();
    }
  },
});

async function statDeadlocks(env: Env): Promise<number> {
  await sqlRows(env.db, `SELECT pg_stat_clear_snapshot()::text AS x`);
  const [r] = await sqlRows<{ n: number }>(
    env.db,
    `SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return r!.n;
}

const concurrent: ChaosScenario = {
  name: "ingest 64 concurrent batches",
  async run() {
    const S = this.name;
    const env = await startApi([], {
      // All 64 admitted at once (the defaults would shed some with 429, which is not what this measures).
      BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: "128",
      BURNRATE_INGEST_MAX_INFLIGHT_MB: "1024",
      BURNRATE_INGEST_QUEUE_WAIT_MS: "120000",
    });
    try {
      await api(env, "POST", "/api/v1/teams", { slug: "ops", name: "Ops" });
      const shops = Array.from({ length: 12 }, (_, i) => `shop-${i}`);
      for (const slug of shops) await api(env, "POST", "/api/v1/services", { slug, name: slug, team: "ops" });
      const now = Date.now();
      const regions = ["prod-eu", "prod-us", "staging"];
      // Each batch: 8,000 lines of 12 services (in an order of its own) over 100 routes each (shared with the
      // others, most new), 3 regions, 5 minutes.
      const batches = Array.from({ length: 64 }, (_, b) => {
        let s = "";
        for (let i = 0; i < 8000; i++) {
          const ep = (i * 31 + b * 17) % 100;
          s += `${JSON.stringify({
            ts: now - (1 + ((i + b) % 5)) * 60_000,
            service: shops[(i * 5 + b * 7) % shops.length],
            method: "GET",
            route: `/r/${ep}`,
            region: regions[(i + b) % 3],
            status: i % 11 === 0 ? 500 : 200,
            durationMs: i % 300,
          })}\n`;
        }
        return Buffer.from(s);
      });
      const before = await statDeadlocks(env);
      const answers = await Promise.all(batches.map((b) => send(env, "POST", "/api/v1/ingest/requests", b)));
      const acknowledged = answers
        .filter((a) => a.status === 200)
        .reduce((n, a) => n + (JSON.parse(a.body) as { accepted: number }).accepted, 0);
      await sleep(1500);
      const dl = (await statDeadlocks(env)) - before;
      const [st] = await sqlRows<{ n: number }>(
        env.db,
        `SELECT coalesce(sum(count), 0)::int AS n FROM request_rollups`,
      );
      const statuses = [...new Set(answers.map((a) => a.status))].join(", ");
      return [
        { scenario: S, check: "answers", value: statuses, target: "200", ok: statuses === "200" },
        { scenario: S, check: "deadlocks (pg_stat_database)", value: String(dl), target: "0", ok: dl === 0 },
        {
          scenario: S,
          check: "stored vs acknowledged records",
          value: `${fmt(st!.n)} vs ${fmt(acknowledged)}`,
          target: "equal (64 × 8,000)",
          ok: st!.n === acknowledged && acknowledged === 64 * 8000,
        },
      ];
    } finally {
      await env.stop();
    }
  },
};

const cardinality: ChaosScenario = {
  name: "ingest burst of 10,000 new endpoints",
  async run(ctx) {
    const S = this.name;
    const env = await startApi();
    try {
      // The benchmark's 10,000 SLO × region; the burst may add at most cap × 2 defaults × 1 region.
      const pairs = 10_000;
      const historyDays = ctx.quick ? 1 : 2;
      ctx.log(`seeding ${pairs} SLO × region with ${historyDays} days of history…`);
      await seedEvaluation(env, pairs, { historyDays });
      const cycle = async () => {
        const [c] = await sqlRows<{ n: number }>(env.db, `SELECT count(*)::int AS n FROM slos`);
        const runs: number[] = [];
        for (let i = 0; i < 3; i++)
          runs.push((await runEvalCycle(env, { slos: c!.n, shardSize: 500, concurrency: 4 })).ms);
        return { ms: median(runs), slos: c!.n };
      };
      const before = await cycle();
      ctx.log(`cycle before: ${fmt(before.ms)} ms for ${before.slos} SLOs`);

      await api(env, "POST", "/api/v1/teams", { slug: "burst", name: "Burst" });
      await api(env, "POST", "/api/v1/services", { slug: "burst", name: "Burst", team: "burst" });
      await api(env, "PUT", "/api/v1/services/burst/default-slos", {
        availability: { objectivePercent: 99 },
        latency: { objectivePercent: 95, thresholdMs: 300 },
        reason: "defaults for every endpoint",
      });
      const now = Date.now();
      let body = "";
      for (let i = 0; i < 10_000; i++)
        body += `${JSON.stringify({ ts: now - 60_000, service: "burst", method: "GET", route: `/burst/${i}`, region: "prod-eu", status: 200, durationMs: 5 })}\n`;
      const t0 = performance.now();
      const a = await send(env, "POST", "/api/v1/ingest/requests", Buffer.from(body));
      const burstMs = performance.now() - t0;
      const res = JSON.parse(a.body) as {
        accepted: number;
        rejected: number;
        errors: { line: number; field?: string; message: string }[];
      };
      const lineByLine =
        res.errors.length === res.rejected &&
        res.errors.every((e, i) => e.line === res.accepted + i + 1 && e.field === "route");
      // The default SLOs of the accepted endpoints are created in the background: wait until they stop growing.
      let slos = -1;
      for (let i = 0; i < 120; i++) {
        const [c] = await sqlRows<{ n: number }>(
          env.db,
          `SELECT count(*)::int AS n FROM slos x JOIN services s ON s.id = x.service_id WHERE s.slug = 'burst'`,
        );
        if (c!.n === slos) break;
        slos = c!.n;
        await sleep(1000);
      }
      const after = await cycle();
      ctx.log(`cycle after: ${fmt(after.ms)} ms for ${after.slos} SLOs`);
      const ratio = after.ms / before.ms;
      return [
        {
          scenario: S,
          check: "10,000 new endpoints in one batch: accepted / refused",
          value: `${fmt(res.accepted)} / ${fmt(res.rejected)} (status ${a.status}, ${fmt(burstMs)} ms)`,
          target: "500 / 9,500 (the default cap)",
          ok: a.status === 200 && res.accepted === 500 && res.rejected === 9500,
        },
        {
          scenario: S,
          check: "refused line by line, naming the field",
          value: lineByLine ? `lines 501-10,000, field 'route'` : JSON.stringify(res.errors.slice(0, 2)),
          target: "each line named",
          ok: lineByLine,
        },
        {
          scenario: S,
          check: "default SLOs created by the burst",
          value: fmt(slos),
          target: "≤ 1,000 (cap × 2 defaults)",
          ok: slos <= 1000,
        },
        {
          scenario: S,
          check: "evaluation cycle before → after (median of 3)",
          value: `${fmt(before.ms)} ms (${fmt(before.slos)} SLOs) → ${fmt(after.ms)} ms (${fmt(after.slos)} SLOs), ×${fmt(ratio, 2)}`,
          target: "within ±20%",
          ok: ratio >= 0.8 && ratio <= 1.2,
        },
      ];
    } finally {
      await env.stop();
    }
  },
};

export const scenarios: ChaosScenario[] = [
  concurrent,
  cardinality,
  overloadScenario("ingest overload 5x (clients with Expect: 100-continue)", true),
  overloadScenario("ingest overload 5x (plain clients)", false),
];
