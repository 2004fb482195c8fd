import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createJobQueues } from "@burnrate/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupSlo } from "./alerting-helpers";
import { REDIS_URL, call, startStack, waitFor, type Stack } from "./harness";
import { FakeReceiver, pagerdutyIncidents, type ReceivedRequest } from "./receiver-fakes";

const WORKER_DIR = path.resolve(import.meta.dirname, "../../worker");
const KILLS = 10;
const ALERTS = 8;

/**
 * The worker runs as a real process and is SIGKILLed right after PagerDuty or the webhook receiver answered
 * (0–30 ms later: sometimes before and sometimes after the database recorded the delivery), then restarted.
 * Each alert fires, is acknowledged through the API and resolves. PagerDuty deduplicates by dedup_key (a
 * trigger of an open incident adds nothing) and a webhook receiver by the event's id, as the README tells it
 * to: counted that way, every alert has exactly one trigger and one resolve at both.
 */
describe("receivers through worker kills", () => {
  let stack: Stack;
  let child: ChildProcess | null = null;
  let done = false;
  let kills = 0;
  let starts = 0;
  const pd = new FakeReceiver();
  const hook = new FakeReceiver();
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
        PUBLIC_URL: stack.baseUrl,
        LOG_LEVEL: "warn",
        BURNRATE_EVAL_EVERY_MS: "3600000",
        BURNRATE_JOB_LOCK_MS: "2000",
        BURNRATE_WORKER_PORT: "0",
        WORKER_CONCURRENCY: "4",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    c.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
    c.stdout!.on("data", (d: Buffer) => stderr.push(d.toString()));
    c.on("exit", () => {
      if (child === c) child = null;
      if (!done) startWorker();
    });
    child = c;
  }
  const killSoon = () => {
    const c = child as (ChildProcess & { doomed?: boolean }) | null;
    if (!c || kills >= KILLS || c.doomed) return;
    c.doomed = true;
    kills++;
    setTimeout(() => c.kill("SIGKILL"), Math.floor(Math.random() * 31));
  };

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await Promise.all([pd.start(), hook.start()]);
    pd.onAnswered = killSoon;
    hook.onAnswered = killSoon;
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
    await Promise.all([pd.stop(), hook.stop()]);
    await stack?.stop();
  });

  it(`${KILLS} kills after an answer: one trigger and one resolve per alert at PagerDuty and the webhook`, async () => {
    const jobs = createJobQueues({ connection: stack.redis, prefix: stack.prefix });
    try {
      const sloId = await setupSlo(stack, { team: "crashrecv", service: "crashrecv-svc" });
      const created = [
        await call(stack, "POST", "/api/v1/receivers", {
          team: "crashrecv",
          name: "pd",
          kind: "pagerduty",
          url: pd.url,
          secret: "pd-crash",
        }),
        await call(stack, "POST", "/api/v1/receivers", {
          team: "crashrecv",
          name: "hook",
          kind: "webhook",
          url: hook.url,
        }),
      ];
      for (const r of created) expect(r.status, JSON.stringify(r.body)).toBe(201);
      const alertIds: string[] = [];
      for (let i = 0; i < ALERTS; i++) {
        const at = new Date();
        const a = await stack.db.alert.create({
          data: {
            sloId,
            regionKey: `r${i}`,
            kind: "burn_rate",
            state: "firing",
            severity: "page",
            tiers: [],
            firedAt: at,
            events: { create: { kind: "fired", at, detail: { severity: "page" } } },
          },
          include: { events: true },
        });
        alertIds.push(a.id);
        await jobs.enqueue("alert.dispatch", { alertId: a.id, eventKind: "fired", eventId: a.events[0]!.id });
      }
      const delivered = (type: string, alerts = ALERTS) =>
        waitFor(
          `every ${type} delivered`,
          async () =>
            (await stack.db.receiverDelivery.count({ where: { type, status: "sent" } })) === 2 * alerts,
          180_000,
          500,
        ).catch(async (e: unknown) => {
          const rows = await stack.db.receiverDelivery.findMany({
            select: { type: true, status: true, attempts: true, error: true },
          });
          throw new Error(
            `${(e as Error).message}; deliveries ${JSON.stringify(rows)}; worker log ${stderr.join("").slice(-6000)}`,
          );
        });
      await delivered("alert.firing");
      // The evaluator runs beside: an alert it resolved first cannot be acknowledged any more (400).
      let acked = 0;
      for (const id of alertIds) {
        const r = await call(stack, "POST", `/api/v1/alerts/${id}/ack`);
        if (r.status === 200) acked++;
        else {
          expect(r.status, JSON.stringify(r.body)).toBe(400);
          expect((await stack.db.alert.findUniqueOrThrow({ where: { id } })).state).toBe("resolved");
        }
      }
      await delivered("alert.acknowledged", acked);
      for (const id of alertIds) {
        const at = new Date();
        const changed = await stack.db.alert.updateMany({
          where: { id, state: { not: "resolved" } },
          data: { state: "resolved", resolvedAt: at },
        });
        if (changed.count === 0) continue;
        const ev = await stack.db.alertEvent.create({ data: { alertId: id, kind: "resolved", at } });
        await jobs.enqueue("alert.dispatch", { alertId: id, eventKind: "resolved", eventId: ev.id });
      }
      await delivered("alert.resolved");
      // A late duplicate would show up here.
      await new Promise((r) => setTimeout(r, 3000));

      const incidents = pagerdutyIncidents(pd.requests);
      expect([...incidents.keys()].sort()).toEqual([...alertIds].sort());
      for (const [, n] of incidents) expect(n).toEqual({ triggered: 1, resolved: 1 });
      const pdActions = (action: string) => pd.requests.filter((r) => r.json.event_action === action).length;

      // The webhook: one event id per alert × type, and it is the alert event's id.
      const ids = new Map<string, Set<string>>();
      for (const r of hook.requests as ReceivedRequest[]) {
        const k = `${r.json.alert.id}:${r.json.type}`;
        ids.set(k, (ids.get(k) ?? new Set()).add(r.json.id));
      }
      expect(ids.size).toBe(2 * ALERTS + acked);
      for (const s of ids.values()) expect(s.size).toBe(1);
      // Each is the id of the alert event its delivery row delivered.
      const rows = await stack.db.receiverDelivery.findMany({ where: { receiver: { kind: "webhook" } } });
      expect(rows).toHaveLength(ids.size);
      for (const r of rows) expect([...ids.get(`${r.alertId}:${r.type}`)!]).toEqual([r.eventId]);
      const distinctHook = new Set(hook.requests.map((r) => r.json.id)).size;
      const retried = await stack.db.receiverDelivery.count({ where: { attempts: { gt: 1 } } });
      console.log(
        `receiver crash test: ${kills} SIGKILLs, ${starts} worker starts; PagerDuty ${pd.requests.length} calls ` +
          `(${pdActions("trigger")} trigger, ${pdActions("acknowledge")} acknowledge, ${pdActions("resolve")} resolve) ` +
          `for ${ALERTS} alerts; webhook ${hook.requests.length} calls for ${distinctHook} distinct events; ` +
          `${retried} deliveries sent again after a kill, ${acked} alerts acknowledged before the evaluator resolved them`,
      );
      expect(kills).toBe(KILLS);
      expect(await stack.db.receiverDelivery.count({ where: { status: { not: "sent" } } })).toBe(0);
    } finally {
      await jobs.close();
    }
  }, 300_000);
});
