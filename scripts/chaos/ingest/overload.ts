/**
 * Ingest overload (`pnpm chaos --only=ingest`): the sustainable rate measured first (4 senders, closed loop),
 * then 5× that rate open-loop for 60 s (quick: 15 s) from one kind of client: statuses (only 2xx and 429/503
 * with Retry-After), p99 of accepted requests, API RSS peak and 60 s after, GET /api/v1/slos latency throughout.
 */
import os from "node:os";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { MINUTE_MS, SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { startApi } from "../../bench/harness.ts";
import { ingestBatches, registerCatalog } from "../../bench/ingest.ts";
import { bucketQuantile, fmt, median, quantile, rssMb, sleep, type ChaosScenario } from "../lib.ts";
import { send, type Answer } from "./send.ts";
import { serverBuckets } from "./server-histogram.ts";

/** BURNRATE_* variables of this process given to the API (to try other limits: `BURNRATE_INGEST_… pnpm chaos`). */
function envOverride(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] => e[0].startsWith("BURNRATE_INGEST_") && e[1] !== undefined,
    ),
  );
}

/**
 * 5× overload from one kind of client: `expectContinue` clients send `Expect: 100-continue` (curl does for large
 * bodies) and upload only once admitted; plain clients upload every body whether or not it is refused.
 */
export const overloadScenario = (name: string, expectContinue: boolean): ChaosScenario => ({
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
      const sustainMs = ctx.quick ? 4 * SECOND_MS : 8 * SECOND_MS;
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
      const sustainable = records / ((performance.now() - t0) / SECOND_MS);
      const batchesPerSec = sustainable / lines[0]!;
      ctx.log(`sustainable ≈ ${fmt(sustainable)} records/s (${fmt(batchesPerSec, 1)} batches/s)`);

      // GET /api/v1/slos on the idle API, for comparison.
      const idle: number[] = [];
      for (let i = 0; i < 10; i++) idle.push((await send(env, "GET", "/api/v1/slos")).ms);

      // 5×, open loop: a batch every 1/(5 × rate) s whatever the answers.
      const runMs = ctx.quick ? 15 * SECOND_MS : MINUTE_MS;
      const every = SECOND_MS / (5 * batchesPerSec);
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
        const w = new Worker(new URL("./open-loop-sender.mjs", import.meta.url), {
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
      const offered = all.length / (runMs / SECOND_MS);
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
      await sleep(Math.max(0, MINUTE_MS - (performance.now() - loadEnded)));
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
          check: `answers at 5× for ${runMs / SECOND_MS} s (${all.length} requests, ${fmt(offered, 1)}/s offered of ${fmt(5 * batchesPerSec, 1)}/s)`,
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
          value: `≤ ${fmt(serverP99 * SECOND_MS)} ms (bucket)`,
          target: "≤ 2,000 ms",
          ok: serverP99 <= 2,
        },
        {
          scenario: S,
          check: "p99 of accepted requests at the sender (from connection; from send)",
          value: `${fmt(p99)} ms (${fmt(p99Send)} ms)`,
          target: "≤ 2,000 ms",
          ok: p99 <= 2 * SECOND_MS,
        },
        {
          scenario: S,
          check: "records accepted during the overload",
          value: `${fmt(ok.length * lines[0]!)} (${fmt((ok.length * lines[0]!) / (runMs / SECOND_MS))}/s)`,
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
          ok: slosMax < SECOND_MS,
        },
      ];
    } finally {
      await env.stop();
    }
  },
});
