import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertsOf, ingest, setupSlo, traffic } from "./alerting-helpers";
import { REDIS_URL, call, startStack, waitFor, type Stack } from "./harness";

const WORKER_DIR = path.resolve(import.meta.dirname, "../../worker");
/** SIGKILLs per run (`CRASH_TEST_KILLS`); `pnpm chaos` kills far more, under a storm of faults. */
const KILLS = Number(process.env.CRASH_TEST_KILLS ?? 12);
const SLOS = 20;

/**
 * the worker runs as a real process and is SIGKILLed right after the fake Slack accepted a post
 * (0–30 ms later, so sometimes before and sometimes after the database recorded it), then restarted, KILLS times.
 * Counted on the fake: no idempotency key has two messages, and every dispatched event has its message.
 */
describe("crash between Slack's answer and the database write", () => {
  let stack: Stack;
  let child: ChildProcess | null = null;
  let done = false;
  let kills = 0;
  let starts = 0;
  const stderr: string[] = [];

  function startWorker(): void {
    starts++;
    const c = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: WORKER_DIR,
      env: {
        ...process.env,
        DATABASE_URL: stack.databaseUrl,
        REDIS_URL,
        BURNRATE_QUEUE_PREFIX: stack.prefix,
        SLACK_BOT_TOKEN: "xoxb-crash-test",
        SLACK_API_URL: stack.slack.url,
        PUBLIC_URL: stack.baseUrl,
        LOG_LEVEL: "silent",
        BURNRATE_EVAL_EVERY_MS: "1000",
        BURNRATE_JOB_LOCK_MS: "2000",
        WORKER_CONCURRENCY: "4",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    c.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
    c.on("exit", () => {
      if (child === c) child = null;
      if (!done) startWorker();
    });
    child = c;
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    stack.slack.onPosted = () => {
      const c = child;
      if (!c || kills >= KILLS || (c as ChildProcess & { doomed?: boolean }).doomed) return;
      (c as ChildProcess & { doomed?: boolean }).doomed = true;
      kills++;
      setTimeout(() => c.kill("SIGKILL"), Math.floor(Math.random() * 31));
    };
    startWorker();
  });
  afterAll(async () => {
    done = true;
    const c = child;
    if (c) {
      const exited = new Promise((r) => c.once("exit", r));
      c.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (c.exitCode === null) c.kill("SIGKILL");
    }
    await stack?.stop();
  });

  it(`${KILLS} kills at random points: 0 duplicate and 0 lost messages`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < SLOS; i++)
      ids.push(await setupSlo(stack, { team: "crash", channel: "#crash", service: `svc-${i}` }));
    const now = Date.now();
    // Every service fails 10% of its requests: far above the fast-page factor of a 99% SLO.
    for (let i = 0; i < SLOS; i++) await ingest(stack, `svc-${i}`, traffic(now - 20 * 60_000, now, 600, 10));
    const fired = await waitFor(
      "every SLO to have its posted alert",
      async () => {
        const all = await Promise.all(ids.map((id) => alertsOf(stack, id)));
        return all.every((a) => a[0]?.slack.ts) ? all.map((a) => a[0]!) : null;
      },
      240_000,
      500,
    );
    // More events while the kills go on: ack every alert (update + thread reply each), then snooze them all
    // as often as needed to reach KILLS kills.
    const deliveredAll = async () => {
      const events = await stack.db.alertEvent.findMany({
        where: { alert: { sloId: { in: ids } }, kind: { in: ["fired", "acknowledged", "snoozed"] } },
      });
      await waitFor(
        "every event delivered",
        async () => {
          const sent = await stack.db.slackDelivery.count({
            where: { idempotencyKey: { in: events.map((e) => `${e.alertId}:${e.id}`) }, status: "sent" },
          });
          return sent === events.length;
        },
        240_000,
        500,
      );
      return events;
    };
    for (const a of fired) expect((await call(stack, "POST", `/api/v1/alerts/${a.id}/ack`)).status).toBe(200);
    let events = await deliveredAll();
    for (let round = 0; kills < KILLS && round < 5; round++) {
      for (const a of fired)
        expect(
          (await call(stack, "POST", `/api/v1/alerts/${a.id}/snooze`, { minutes: 60 + round })).status,
        ).toBe(200);
      events = await deliveredAll();
    }
    // A few more cycles: a late duplicate would show up here.
    await new Promise((r) => setTimeout(r, 5000));

    const byKey = new Map<string, number>();
    for (const m of stack.slack.messages) {
      const key = m.metadata?.event_payload?.key;
      if (typeof key === "string") byKey.set(key, (byKey.get(key) ?? 0) + 1);
    }
    const duplicates = [...byKey.values()].filter((n) => n > 1).length;
    const lost = events.filter((e) => byKey.get(`${e.alertId}:${e.id}`) !== 1).length;
    const topLevel = stack.slack.topLevel("#crash").length;
    const retried = await stack.db.slackDelivery.count({ where: { attempts: { gt: 1 } } });
    const lookups = stack.slack.calls.filter((c) => c.method.startsWith("conversations.")).length;
    console.log(
      `crash test: ${kills} SIGKILLs, ${starts} worker starts, ${stack.slack.messages.length} messages for ${events.length} events, ` +
        `${duplicates} duplicate keys, ${lost} lost, ${topLevel} top-level posts for ${SLOS} alerts; ` +
        `${retried} deliveries retried after a kill, ${lookups} look-ups by idempotency key`,
    );
    expect(kills).toBe(KILLS);
    expect(duplicates).toBe(0);
    expect(lost).toBe(0);
    expect(topLevel).toBe(SLOS);
    expect(stack.slack.messages).toHaveLength(events.length);
    const perAlert = events.length / SLOS - 1;
    for (const a of fired) expect(stack.slack.replies(a.slack.ts!)).toHaveLength(perAlert);
  }, 600_000);
});
