/**
 * Alert storm against a faulty Slack: N SLOs fire at once, about half are acknowledged and most resolve, while
 * the workers are SIGKILLed at random moments (half of the kills 0–30 ms after Slack stored a post, the other
 * half at random times), Redis is killed and restarted once and Postgres once. The fake Slack fails 3% of calls
 * with HTTP 500, 3% with `ratelimited` (429 + Retry-After: 1), and loses 30% of the answers to posts and updates
 * after storing the message. Counted on the fake Slack's store against the database at the end.
 *
 * Everything runs on loopback: a redis-server and a PostgreSQL of the run's own (lib.ts), the API and two
 * workers as child processes, the fake Slack in this process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
// Relative imports: the root package does not depend on the workspace packages.
import { createDb, type Db } from "../../packages/db/src/index.ts";
import { createTestDatabase } from "../../packages/db/src/test-db.ts";
import { FakeSlack, type FakeMessage } from "../../packages/slack/src/testing/fake-slack.ts";
import {
  freePort,
  sleep,
  startOwnPostgres,
  startOwnRedis,
  type ChaosContext,
  type ChaosRow,
  type ChaosScenario,
} from "./lib.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SCENARIO = "slack storm";
const CHANNEL = "#storm-slo-breaches";
const DISPATCHED = [
  "fired",
  "refired",
  "escalated",
  "deescalated",
  "resolved",
  "acknowledged",
  "snoozed",
  "released",
];

/** A child process that is started again whenever it exits (until `stop`). */
class Respawning {
  child: ChildProcess | null = null;
  startedAt = 0;
  starts = 0;
  private stopped = false;
  readonly stderr: string[] = [];
  constructor(
    private name: string,
    private script: string,
    private env: () => Record<string, string>,
  ) {}
  start(): void {
    if (this.stopped) return;
    this.starts++;
    const c = spawn(process.execPath, ["--import", "tsx", this.script], {
      cwd: ROOT,
      env: { ...process.env, ...this.env() },
      stdio: ["ignore", "ignore", "pipe"],
    });
    c.stderr!.on("data", (d: Buffer) => {
      this.stderr.push(d.toString());
      if (this.stderr.length > 200) this.stderr.shift();
    });
    c.on("exit", () => {
      if (this.child === c) this.child = null;
      if (!this.stopped) setTimeout(() => this.start(), 300);
    });
    this.child = c;
    this.startedAt = Date.now();
  }
  /** SIGKILL (the process is started again by itself). */
  kill(): boolean {
    const c = this.child;
    if (!c || c.exitCode !== null) return false;
    c.kill("SIGKILL");
    return true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once("exit", r));
    c.kill("SIGTERM");
    await Promise.race([exited, sleep(5000)]);
    if (c.exitCode === null) c.kill("SIGKILL");
  }
  toString() {
    return this.name;
  }
}

async function run(ctx: ChaosContext): Promise<ChaosRow[]> {
  const N = ctx.quick ? 20 : 100;
  const KILLS = ctx.quick ? 6 : 20;
  const KILL_GAP_MS = ctx.quick ? 3000 : 4000;
  const DRAIN_LIMIT_MS = ctx.quick ? 180_000 : 360_000;
  const rows: ChaosRow[] = [];
  const row = (check: string, value: string | number, target: string, ok: boolean) =>
    rows.push({ scenario: SCENARIO, check, value: String(value), target, ok });
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    const redis = await startOwnRedis();
    cleanups.push(() => redis.stop());
    const pg = await startOwnPostgres();
    cleanups.push(() => pg.stop());
    const testDb = await createTestDatabase(pg.url, "burnrate_chaos");
    const db: Db = createDb({ databaseUrl: testDb.databaseUrl, poolSize: 4 });
    cleanups.push(() => db.$disconnect());
    const slack = new FakeSlack();
    const slackUrl = await slack.start();
    cleanups.push(() => slack.stop());
    ctx.log(`own redis :${redis.port}, own postgres :${pg.port}, fake Slack ${slackUrl}`);

    const port = await freePort();
    const token = `brt_chaos_${randomBytes(16).toString("hex")}`;
    const prefix = `chaos${randomBytes(3).toString("hex")}`;
    const common = {
      DATABASE_URL: testDb.databaseUrl,
      REDIS_URL: redis.url,
      BURNRATE_QUEUE_PREFIX: prefix,
      LOG_LEVEL: "silent",
      NODE_ENV: "production",
    };
    const apiUrl = `http://127.0.0.1:${port}`;
    const apiProc = new Respawning("api", "apps/api/src/main.ts", () => ({
      ...common,
      PORT: String(port),
      HOST: "127.0.0.1",
      BURNRATE_BOOTSTRAP_TOKEN: token,
      PUBLIC_URL: apiUrl,
    }));
    const workers = [1, 2].map(
      (i) =>
        new Respawning(`worker${i}`, "apps/worker/src/main.ts", () => ({
          ...common,
          SLACK_BOT_TOKEN: "xoxb-chaos",
          SLACK_API_URL: slackUrl,
          PUBLIC_URL: apiUrl,
          BURNRATE_EVAL_EVERY_MS: "1000",
          BURNRATE_EVAL_SHARD_SIZE: "25",
          BURNRATE_JOB_LOCK_MS: "3000",
          WORKER_CONCURRENCY: "4",
        })),
    );
    cleanups.push(async () => {
      await Promise.all([apiProc.stop(), ...workers.map((w) => w.stop())]);
    });
    apiProc.start();

    /** An API call, tried again while the API, its Redis or its Postgres is down (bounded). */
    const api = async (method: string, p: string, body?: unknown, contentType = "application/json") => {
      const until = Date.now() + 120_000;
      for (;;) {
        try {
          const res = await fetch(`${apiUrl}${p}`, {
            method,
            headers: { authorization: `Bearer ${token}`, "content-type": contentType },
            body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
            signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          if (res.status < 500) return { status: res.status, body: text ? JSON.parse(text) : null };
        } catch {
          /* down or restarting */
        }
        if (Date.now() > until) throw new Error(`${method} ${p}: the API did not answer for 2 minutes`);
        await sleep(500);
      }
    };
    const must = async (method: string, p: string, body?: unknown) => {
      const r = await api(method, p, body);
      if (r.status >= 300 && r.status !== 409)
        throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };
    await api("GET", "/api/v1/teams");
    ctx.log(`API up; creating ${N} services and SLOs`);
    await must("POST", "/api/v1/teams", { slug: "storm", name: "Storm", slackChannel: CHANNEL });
    for (let i = 0; i < N; i++) {
      await must("POST", "/api/v1/services", { slug: `storm-${i}`, name: `Storm ${i}`, team: "storm" });
      await must("POST", "/api/v1/slos", {
        service: `storm-${i}`,
        name: `storm-${i} availability`,
        endpoint: "GET /cart",
        sli: { type: "availability" },
        objectivePercent: 99,
        window: { type: "rolling", days: 28 },
        alerting: {
          tiers: [
            // A 30-minute short window keeps the storm's errors in view for the whole run (alerts do not
            // resolve by themselves while the slow part of the storm goes on); a burst of good requests
            // resolves them.
            { name: "ticket", severity: "ticket", longWindowMinutes: 60, shortWindowMinutes: 30, factor: 2 },
          ],
        },
      });
    }
    const ingest = async (services: number[], fromMs: number, toMs: number, n: number, badEvery: number) => {
      for (let k = 0; k < services.length; k += 10) {
        const lines: string[] = [];
        for (const i of services.slice(k, k + 10))
          for (let j = 0; j < n; j++)
            lines.push(
              JSON.stringify({
                ts: Math.floor(fromMs + ((toMs - fromMs) * j) / n),
                service: `storm-${i}`,
                endpoint: "GET /cart",
                region: "prod-eu",
                status: badEvery > 0 && j % badEvery === 0 ? 503 : 200,
                durationMs: 40,
              }),
            );
        const r = await api(
          "POST",
          "/api/v1/ingest/requests",
          lines.join("\n") + "\n",
          "application/x-ndjson",
        );
        if (r.status !== 200) throw new Error(`ingest: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
      }
    };

    // --- the storm
    slack.setFaults({ http500: 0.03, ratelimited: 0.03, retryAfterSec: 1, loseAnswer: 0.3, seed: 2026 });
    for (const w of workers) w.start();
    let kills = 0;
    let killsAfterPost = 0;
    let pendingKills = 0;
    let acksDone = false;
    let faultsOver = false;
    let lastFaultAt = Date.now();
    const killOne = (): boolean => {
      const live = workers.filter((w) => w.child && Date.now() - w.startedAt > 1500);
      const w = live[Math.floor(Math.random() * live.length)];
      if (!w || !w.kill()) return false;
      kills++;
      lastFaultAt = Date.now();
      return true;
    };
    // Half of the kills land 0–30 ms after Slack stored a post: before or after the database recorded it.
    slack.onPosted = () => {
      if (faultsOver || killsAfterPost + pendingKills >= KILLS / 2 || kills + pendingKills >= KILLS) return;
      if (Math.random() > 0.3) return;
      pendingKills++;
      setTimeout(
        () => {
          pendingKills--;
          if (killOne()) killsAfterPost++;
        },
        Math.floor(Math.random() * 31),
      );
    };
    const t0 = Date.now();
    ctx.log("ingesting failing traffic for every service");
    await ingest(
      Array.from({ length: N }, (_, i) => i),
      t0 - 20 * 60_000,
      t0,
      600,
      10,
    );
    const alertsNow = () => db.alert.findMany({ select: { id: true, sloId: true, state: true } });
    const waitAlerts = async (min: number, limitMs: number) => {
      const until = Date.now() + limitMs;
      for (;;) {
        const n = await db.alert.count().catch(() => 0);
        if (n >= min || Date.now() > until) return n;
        await sleep(500);
      }
    };
    // The other half at random moments, from when the first alerts go out to Slack.
    ctx.log(`alerts: ${await waitAlerts(1, 120_000)} of ${N}`);
    const killer = (async () => {
      while (!faultsOver && kills + pendingKills < KILLS) {
        await sleep(500 + Math.random() * 2 * KILL_GAP_MS);
        // Half are left to the post hook until the acks are done; then the timer makes up the count.
        const timerKills = kills - killsAfterPost;
        if (kills + pendingKills < KILLS && (timerKills < KILLS / 2 || acksDone)) killOne();
      }
    })();

    ctx.log(`alerts: ${await waitAlerts(Math.floor(N / 4), 120_000)} of ${N}`);

    // Redis dies while the first posts go out; the queue (jobs and schedules) is lost with it.
    ctx.log("killing and restarting Redis");
    await redis.restart(1000);
    lastFaultAt = Date.now();
    // The workers are not touched: they re-assert their schedules when Redis answers again, and the dispatch
    // sweep enqueues what the lost jobs were delivering.
    ctx.log(`alerts: ${await waitAlerts(N, 240_000)} of ${N}`);

    const alerts = await alertsNow();
    const shuffled = [...alerts].sort(() => Math.random() - 0.5);
    const toAck = shuffled.slice(0, Math.floor(alerts.length / 2));
    ctx.log(`acknowledging ${toAck.length} alerts (Postgres restarts half way)`);
    let acked = 0;
    let notAcked = 0;
    for (const [i, a] of toAck.entries()) {
      if (i === Math.floor(toAck.length / 2)) {
        ctx.log("killing and restarting Postgres");
        await pg.restart(2000);
        lastFaultAt = Date.now();
      }
      const r = await api("POST", `/api/v1/alerts/${a.id}/ack`, {});
      if (r.status === 200) acked++;
      else if (notAcked++ < 3) ctx.log(`ack ${a.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    // Most services recover: a burst of good requests brings both windows' error rates under the factor.
    const sloIndex = new Map(
      (await db.slo.findMany({ select: { id: true, service: { select: { slug: true } } } })).map((s) => [
        s.id,
        Number(s.service.slug.replace("storm-", "")),
      ]),
    );
    // Acked and recovering overlap: at the end a quarter stay acknowledged, 60% are resolved, 15% still fire.
    const recovering = shuffled
      .slice(Math.floor(alerts.length * 0.25), Math.floor(alerts.length * 0.85))
      .map((a) => sloIndex.get(a.sloId)!)
      .filter((i) => i !== undefined);
    ctx.log(`${acked} acknowledged; ${recovering.length} services recover`);
    acksDone = true;
    const t1 = Date.now();
    await ingest(recovering, t1 - 4 * 60_000, t1, 4000, 0);
    await killer;
    faultsOver = true;
    const faultsEndedAt = Math.max(lastFaultAt, Date.now());
    ctx.log(`${kills} kills done (${killsAfterPost} right after a post); draining`);

    // --- drain: every event delivered (or given up on), every state settled, every message up to date
    const undelivered = async () => {
      const [r] = await db.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM alert_events e
          WHERE e.kind = ANY($1::text[]) AND (e.detail IS NULL OR NOT (e.detail ? 'suppressed'))
            AND NOT EXISTS (SELECT 1 FROM slack_deliveries d
                             WHERE d.idempotency_key = e.alert_id::text || ':' || e.id::text
                               AND d.status <> 'pending')`,
        DISPATCHED,
      );
      return r?.n ?? -1;
    };
    let drainedAt: number | null = null;
    let stableSince = 0;
    let lastEvents = -1;
    while (Date.now() - faultsEndedAt < DRAIN_LIMIT_MS) {
      const pending = await undelivered().catch(() => -1);
      const events = await db.alertEvent.count().catch(() => -1);
      if (pending === 0 && events === lastEvents) {
        stableSince ||= Date.now();
        // Settled for 5 s: no new event, nothing pending.
        if (Date.now() - stableSince >= 5000) {
          drainedAt = stableSince;
          break;
        }
      } else stableSince = 0;
      lastEvents = events;
      await sleep(500);
    }
    const drainMs = drainedAt === null ? null : Math.max(0, drainedAt - faultsEndedAt);
    ctx.log(drainedAt === null ? "did not drain in time" : `drained ${drainMs} ms after the last fault`);
    await Promise.all(workers.map((w) => w.stop()));

    // --- count
    const finalAlerts = await db.alert.findMany({
      select: { id: true, state: true, slackTs: true, _count: { select: { events: true } } },
    });
    const tops = new Map<string, FakeMessage[]>();
    const replyKeys = new Map<string, number>();
    for (const m of slack.messages) {
      const p = m.metadata?.event_payload ?? {};
      if (m.threadTs === null) {
        // The alert's id (older messages carry only the key, `<alertId>:<eventId>`).
        const id = String(p.alert ?? String(p.key ?? "").split(":")[0]);
        tops.set(id, [...(tops.get(id) ?? []), m]);
      } else {
        const key = String(p.key ?? "");
        replyKeys.set(key, (replyKeys.get(key) ?? 0) + 1);
      }
    }
    const lost = finalAlerts.filter((a) => !tops.get(a.id)?.length).length;
    const dupTop = finalAlerts.reduce((n, a) => n + Math.max(0, (tops.get(a.id)?.length ?? 0) - 1), 0);
    const dupReplies = [...replyKeys.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    const shown = (m: FakeMessage) =>
      m.text.startsWith(":white_check_mark: Resolved")
        ? "resolved"
        : JSON.stringify(m.blocks).includes(":eyes: Acknowledged by")
          ? "acknowledged"
          : "firing";
    const wrongState = finalAlerts.filter((a) => {
      const m = tops.get(a.id)?.[0];
      return !m || shown(m) !== a.state || a.slackTs !== m.ts;
    }).length;
    const byState = finalAlerts.reduce<Record<string, number>>(
      (acc, a) => ({ ...acc, [a.state]: (acc[a.state] ?? 0) + 1 }),
      {},
    );
    const stillPending = await undelivered();
    const [sentNotInSlack] = await db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM slack_deliveries WHERE status = 'sent' AND NOT (ts = ANY($1::text[]))`,
      slack.messages.map((m) => m.ts),
    );
    const failed = await db.slackDelivery.count({ where: { status: "failed" } });

    row("alerts", `${finalAlerts.length} (${JSON.stringify(byState)})`, `${N}`, finalAlerts.length === N);
    row(
      "faults",
      `${kills} worker SIGKILLs (${killsAfterPost} 0–30 ms after a post), 1 Redis + 1 Postgres restart; ` +
        `Slack: ${slack.faultCounts.http500}×500, ${slack.faultCounts.ratelimited}×429, ` +
        `${slack.faultCounts.lostAnswers} answers lost of ${slack.calls.length} calls`,
      `${KILLS} kills`,
      kills >= KILLS,
    );
    row("lost top-level posts", lost, "0", lost === 0);
    row("duplicate top-level posts", dupTop, "0", dupTop === 0);
    row("duplicate thread replies", dupReplies, "0", dupReplies === 0);
    row("messages whose final state != database", wrongState, "0", wrongState === 0);
    row("events never delivered", stillPending, "0", stillPending === 0);
    row(
      "deliveries recorded as sent but not in Slack",
      sentNotInSlack?.n ?? -1,
      "0",
      sentNotInSlack?.n === 0,
    );
    row("deliveries failed for good", failed, "0", failed === 0);
    row(
      "time to drain after the last fault",
      drainMs === null ? `> ${DRAIN_LIMIT_MS / 1000} s` : `${(drainMs / 1000).toFixed(1)} s`,
      `< ${DRAIN_LIMIT_MS / 1000} s`,
      drainMs !== null,
    );
    row(
      "worker restarts",
      workers.map((w) => `${w}: ${w.starts}`).join(", ") + " (SIGKILLs only: none for the Redis restart)",
      "-",
      true,
    );
    if (process.env.CHAOS_VERBOSE)
      for (const w of workers) ctx.log(`${w} stderr: ${w.stderr.join("").slice(-2000)}`);
    await testDb.drop().catch(() => undefined);
    return rows;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

export const scenarios: ChaosScenario[] = [{ name: SCENARIO, run }];
