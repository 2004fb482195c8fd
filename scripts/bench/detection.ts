/**
 * Time to page: a full outage of a 99.9% availability SLO (the default workbook tiers of a 28-day window), from
 * its first failed request to the page arriving in Slack. The API and a worker as `npm start` runs them
 * (production mode, the default 60 s cycle and 5 s fast pass), a fake Slack Web API in this process. `runs`
 * services (one run each) have six hours of healthy traffic (2 requests a second) and go on at that rate; each
 * fails completely from a random instant within one minute, so the outages start at random offsets in the
 * evaluation minute. The figure of a run is the Slack post's arrival minus the first failed request's time.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { FakeSlack } from "../../packages/slack/src/testing/fake-slack.ts";
import { MINUTE_MS, SECOND_MS } from "../../packages/slo-core/src/time-units.ts";
import { BENCH_SECRET_KEY, RUN_TS, api, post, startApi } from "./harness.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const RATE_PER_S = 2;
/**
 * Six hours of history: the slow page tier (6 h at 5.6×) then needs about two minutes of outage, so the fast
 * tier is what pages (an hour alone would let the 6 h tier page first, at about 20 s).
 */
const HISTORY_MS = 6 * 60 * MINUTE_MS;
const BATCH_LINES = 20_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Detection {
  /** Seconds from the first failed request to the page, per run, in run order. */
  seconds: number[];
  /** Each run's outage start, as seconds into its minute. */
  offsets: number[];
  worst: number;
  median: number;
}

export async function benchDetection(opts: { runs?: number; fastEveryMs?: number } = {}): Promise<Detection> {
  const runs = opts.runs ?? 10;
  const prefix = `det${randomBytes(3).toString("hex")}`;
  const slack = new FakeSlack();
  const slackUrl = await slack.start();
  const env = await startApi([], { BURNRATE_QUEUE_PREFIX: prefix });
  const worker = spawn(process.execPath, ["--import", RUN_TS, "apps/worker/src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      BURNRATE_QUEUE_PREFIX: prefix,
      BURNRATE_WORKER_PORT: "0",
      BURNRATE_WORKER_HOST: "127.0.0.1",
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_API_URL: slackUrl,
      LOG_LEVEL: "error",
      NODE_ENV: "production",
      BURNRATE_SECRET_KEY: BENCH_SECRET_KEY,
      ...(opts.fastEveryMs !== undefined ? { BURNRATE_FAST_EVERY_MS: String(opts.fastEveryMs) } : {}),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let sending = true;
  try {
    const names = Array.from({ length: runs }, (_, i) => `outage-${String.fromCharCode(97 + i)}x`);
    await api(env, "POST", "/api/v1/teams", { slug: "detect", name: "Detect", slackChannel: "#detect" });
    for (const s of names) await api(env, "POST", "/api/v1/services", { slug: s, name: s, team: "detect" });
    const line = (service: string, ts: number, status: number) =>
      JSON.stringify({ ts, service, endpoint: "GET /x", region: "prod-eu", status, durationMs: 20 });
    // Healthy history, then the SLOs (their backfill reads it).
    const t0 = Date.now();
    for (const s of names) {
      let lines: string[] = [];
      for (let ts = t0 - HISTORY_MS; ts < t0; ts += SECOND_MS / RATE_PER_S) {
        lines.push(line(s, ts, 200));
        if (lines.length === BATCH_LINES) {
          await post(env, lines.join("\n") + "\n");
          lines = [];
        }
      }
      if (lines.length) await post(env, lines.join("\n") + "\n");
    }
    const sloIds: string[] = [];
    for (const s of names) {
      const slo = await api(env, "POST", "/api/v1/slos", {
        service: s,
        name: `${s} availability`,
        endpoint: "GET /x",
        sli: { type: "availability" },
        objectivePercent: 99.9,
        window: { type: "rolling", days: 28 },
      });
      sloIds.push(slo.id as string);
    }
    for (;;) {
      const [row] = await env.db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM slos WHERE backfill_percent >= 100`,
      );
      if (Number(row?.n) === runs) break;
      if (Date.now() - t0 > 2 * MINUTE_MS) throw new Error("the SLOs' backfills did not finish in 2 minutes");
      await sleep(500);
    }
    // Live traffic at the same rate from now on (from where the history stopped); every outage starts at a random
    // instant of the next minute and lasts to the end.
    const base = Math.ceil(Date.now() / MINUTE_MS) * MINUTE_MS;
    const outageAt = names.map(() => base + Math.floor(Math.random() * MINUTE_MS));
    const firstBad = names.map(() => 0);
    const paged = names.map(() => 0);
    // The page: a top-level message that opens as a page, or the escalation reply in the thread of one that
    // opened as a ticket (the 3-day ticket tier, at 0.93×, fires some 20 s into the outage).
    const serviceOfTs = new Map<string, number>();
    slack.onPosted = (m) => {
      if (m.threadTs) {
        const i = serviceOfTs.get(m.threadTs);
        if (i !== undefined && !paged[i] && /escalated to page/i.test(m.text)) paged[i] = Date.now();
        return;
      }
      const text = `${m.text} ${JSON.stringify(m.blocks ?? [])}`;
      names.forEach((s, i) => {
        if (!text.includes(s)) return;
        serviceOfTs.set(m.ts, i);
        if (!paged[i] && m.text.startsWith(":rotating_light:")) paged[i] = Date.now();
      });
    };
    let next = t0;
    const sender = (async () => {
      while (sending) {
        const upTo = Date.now();
        const lines: string[] = [];
        for (; next < upTo; next += SECOND_MS / RATE_PER_S)
          names.forEach((s, i) => {
            const bad = next >= outageAt[i]!;
            if (bad && !firstBad[i]) firstBad[i] = next;
            lines.push(line(s, next, bad ? 503 : 200));
          });
        if (lines.length) await post(env, lines.join("\n") + "\n");
        await sleep(SECOND_MS / RATE_PER_S);
      }
    })();
    const deadline = base + MINUTE_MS + 3 * MINUTE_MS;
    while (paged.some((p) => !p) && Date.now() < deadline) {
      if (worker.exitCode !== null) throw new Error(`the worker exited with ${worker.exitCode}`);
      await sleep(250);
    }
    sending = false;
    await sender;
    const seconds = paged.map((p, i) => (p ? (p - firstBad[i]!) / 1000 : Infinity));
    const sorted = [...seconds].sort((a, b) => a - b);
    return {
      seconds,
      offsets: firstBad.map((t) => (t % MINUTE_MS) / 1000),
      worst: sorted.at(-1)!,
      median: sorted[Math.floor(sorted.length / 2)]!,
    };
  } finally {
    sending = false;
    worker.kill("SIGTERM");
    await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
    await env.stop();
    await slack.stop();
  }
}
