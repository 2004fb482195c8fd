import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createJobQueues } from "@burnrate/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupSlo } from "./alerting-helpers";
import { REDIS_URL, TEST_SECRET_KEY, call, startStack, waitFor, type Stack } from "./harness";
import { FakeReceiver, opsgenieCallKey, pagerdutyIncidents, type ReceivedRequest } from "./receiver-fakes";

const WORKER_DIR = path.resolve(import.meta.dirname, "../../worker");
const KILLS = 10;
const ALERTS = 8;

/** The receiver call a request is: `<alert id>:<type>`. */
type CallKey = (r: ReceivedRequest) => string | null;
const PD_TYPE: Record<string, string> = {
  trigger: "alert.firing",
  acknowledge: "alert.acknowledged",
  resolve: "alert.resolved",
};
const pdKey: CallKey = (r) =>
  r.json?.dedup_key && PD_TYPE[r.json.event_action]
    ? `${r.json.dedup_key}:${PD_TYPE[r.json.event_action]}`
    : null;
const hookKey: CallKey = (r) => (r.json?.alert?.id ? `${r.json.alert.id}:${r.json.type}` : null);

/** How many requests each call key got. */
function countBy(requests: ReceivedRequest[], key: CallKey): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of requests) {
    const k = key(r);
    if (k) out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/**
 * The worker runs as a real process and is SIGKILLed right after PagerDuty, Opsgenie or the webhook receiver
 * (in turn) answered (0–30 ms later: sometimes before and sometimes after the database recorded the delivery), then
 * restarted. Each alert fires, is acknowledged through the API and resolves. A call can only be made twice
 * when a kill lands between the call reaching the receiver and its record: right after each kill the test
 * counts those calls (a request already received, its delivery row still pending). The raw calls per alert ×
 * type are at most 1 + the kills that landed in that call's window; counted by PagerDuty's dedup_key and
 * Opsgenie's alias, as they count them, and by the webhook's event id, each alert has exactly one trigger and
 * one resolve.
 */
describe("receivers through worker kills", () => {
  let stack: Stack;
  let child: ChildProcess | null = null;
  let done = false;
  let kills = 0;
  let starts = 0;
  const pd = new FakeReceiver();
  const og = new FakeReceiver();
  const hook = new FakeReceiver();
  const stderr: string[] = [];
  const receivers: { kind: string; fake: FakeReceiver; key: CallKey }[] = [
    { kind: "pagerduty", fake: pd, key: pdKey },
    { kind: "opsgenie", fake: og, key: opsgenieCallKey },
    { kind: "webhook", fake: hook, key: hookKey },
  ];
  /** Per receiver kind and call key: the kills that landed after the call reached the receiver, before its record. */
  const inWindow = new Map<string, number>();
  /** Per receiver kind and call key: the requests already counted at an earlier kill. */
  const counted = new Map<string, number>();
  const windowCounts: Promise<void>[] = [];
  /** Right after a kill (the process is gone, nothing more is recorded): the calls made but not recorded. */
  async function countWindow(): Promise<void> {
    const pending = await stack.db.receiverDelivery.findMany({
      where: { status: "pending" },
      select: { alertId: true, type: true, receiver: { select: { kind: true } } },
    });
    for (const r of receivers) {
      const made = countBy(r.fake.requests, r.key);
      for (const d of pending) {
        const k = `${d.alertId}:${d.type}`;
        const key = `${r.kind}:${k}`;
        // A call made since the last kill that counted it, not recorded: the restart may make it again.
        const n = made.get(k) ?? 0;
        if (d.receiver.kind !== r.kind || n <= (counted.get(key) ?? 0)) continue;
        counted.set(key, n);
        inWindow.set(key, (inWindow.get(key) ?? 0) + 1);
      }
    }
  }

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
        LOG_LEVEL: process.env.TEST_LOG ?? "warn",
        BURNRATE_EVAL_EVERY_MS: "3600000",
        BURNRATE_JOB_LOCK_MS: "2000",
        BURNRATE_SECRET_KEY: TEST_SECRET_KEY,
        BURNRATE_WORKER_PORT: "0",
        WORKER_CONCURRENCY: "4",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    c.stderr!.on("data", (d: Buffer) => stderr.push(d.toString()));
    c.stdout!.on("data", (d: Buffer) => stderr.push(d.toString()));
    c.on("exit", () => {
      if (child === c) child = null;
      if ((c as ChildProcess & { doomed?: boolean }).doomed) windowCounts.push(countWindow());
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
    await Promise.all(receivers.map((r) => r.fake.start()));
    // The kills take turns: after PagerDuty's answer, then Opsgenie's, then the webhook's. When the receiver whose
    // turn it is was not called for a few answers (the evaluator resolved alerts early, fewer calls are left), the
    // next answer of any receiver has the kill, so all of them land.
    let passed = 0;
    for (const r of receivers)
      r.fake.onAnswered = () => {
        if (receivers[kills % receivers.length] === r || ++passed > 3) {
          passed = 0;
          killSoon();
        }
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
    await Promise.all(receivers.map((r) => r.fake.stop()));
    await stack?.stop();
  });

  it(`${KILLS} kills after an answer: one trigger and one resolve per alert at PagerDuty, Opsgenie and the webhook`, async () => {
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
          name: "og",
          kind: "opsgenie",
          url: og.url,
          secret: "og-crash",
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
      // Acknowledged at once, through the API, while the triggers are still on their way: each receiver's ack waits
      // for its trigger, through the kills. The evaluator runs beside: an alert it resolved first cannot be
      // acknowledged any more (400).
      let acked = 0;
      for (const id of alertIds) {
        const r = await call(stack, "POST", `/api/v1/alerts/${id}/ack`);
        if (r.status === 200) acked++;
        else {
          expect(r.status, JSON.stringify(r.body)).toBe(400);
          expect((await stack.db.alert.findUniqueOrThrow({ where: { id } })).state).toBe("resolved");
        }
      }
      const delivered = (type: string, alerts = ALERTS) =>
        waitFor(
          `every ${type} delivered`,
          async () =>
            (await stack.db.receiverDelivery.count({ where: { type, status: "sent" } })) ===
            receivers.length * alerts,
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
      await Promise.all(windowCounts);

      // Raw calls: each alert × type once, plus one for each kill that landed in that call's window.
      const report: string[] = [];
      for (const r of receivers) {
        const made = countBy(r.fake.requests, r.key);
        let extra = 0;
        let allowed = 0;
        for (const [k, n] of made) {
          const w = inWindow.get(`${r.kind}:${k}`) ?? 0;
          expect(n, `${r.kind} ${k}: ${n} calls, ${w} kills in its window`).toBeLessThanOrEqual(1 + w);
          extra += n - 1;
          allowed += w;
        }
        const triggers = [...made].filter(([k]) => k.endsWith(":alert.firing"));
        const rawTriggers = triggers.reduce((s, [, n]) => s + n, 0);
        const triggerWindows = triggers.reduce((s, [k]) => s + (inWindow.get(`${r.kind}:${k}`) ?? 0), 0);
        expect(triggers).toHaveLength(ALERTS);
        expect(rawTriggers).toBeLessThanOrEqual(ALERTS + triggerWindows);
        report.push(
          `${r.kind} ${r.fake.requests.length} calls (${rawTriggers} triggers for ${ALERTS} alerts, ` +
            `${triggerWindows} trigger windows hit; ${extra} repeated calls, ${allowed} calls in a kill's window)`,
        );
      }

      const incidents = pagerdutyIncidents(pd.requests);
      expect([...incidents.keys()].sort()).toEqual([...alertIds].sort());
      for (const [, n] of incidents) expect(n).toEqual({ triggered: 1, resolved: 1 });
      // Opsgenie: one create per alias; every acknowledge and close names an alias it created.
      const ogCreates = countBy(og.requests, (r) =>
        opsgenieCallKey(r)?.endsWith(":alert.firing") ? r.json.alias : null,
      );
      expect([...ogCreates.keys()].sort()).toEqual([...alertIds].sort());
      const ogClosed = new Set(
        og.requests
          .map(opsgenieCallKey)
          .filter((k) => k?.endsWith(":alert.resolved"))
          .map((k) => k!.split(":")[0]),
      );
      expect([...ogClosed].sort()).toEqual([...alertIds].sort());
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
          `${report.join("; ")}; ` +
          `${retried} deliveries sent again after a kill, ${acked} alerts acknowledged before the evaluator resolved them`,
      );
      expect(kills).toBe(KILLS);
      expect(await stack.db.receiverDelivery.count({ where: { status: { not: "sent" } } })).toBe(0);
    } finally {
      await jobs.close();
    }
  }, 300_000);
});
