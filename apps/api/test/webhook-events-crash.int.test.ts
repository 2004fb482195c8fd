import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, TEST_SECRET_KEY, call, startStack, waitFor, type Stack } from "./harness";
import { FakeReceiver } from "./receiver-fakes";

const WORKER_DIR = path.resolve(import.meta.dirname, "../../worker");
const KILLS = 6;
const SLOS = 10;

/** The signature recipe of the README. */
function verifyBurnrate(rawBody: string, header: string, secret: string, toleranceSec = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > toleranceSec) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === 32 && timingSafeEqual(given, Buffer.from(expected, "hex"));
}

/**
 * slo.changed events through worker kills: the worker runs as a real process and is SIGKILLed 0–30 ms after the
 * webhook receiver answered (sometimes before, sometimes after the delivery was recorded), then restarted. Each
 * SLO created and updated through the API is one event; every event reaches the receiver, and a call is made
 * twice only when a kill landed between the call and its record (counted right after each kill: a request
 * already received whose delivery row is still pending). By event id, the receiver sees each event once.
 */
describe("webhook events through worker kills", () => {
  let stack: Stack;
  let child: ChildProcess | null = null;
  let done = false;
  let kills = 0;
  let starts = 0;
  const hook = new FakeReceiver();
  const stderr: string[] = [];
  /** Per event id: the kills that landed after its call reached the receiver, before its record. */
  const inWindow = new Map<string, number>();
  const counted = new Map<string, number>();
  const windowCounts: Promise<void>[] = [];
  const callsOf = () => {
    const out = new Map<string, number>();
    for (const r of hook.requests) out.set(r.json.id, (out.get(r.json.id) ?? 0) + 1);
    return out;
  };
  async function countWindow(): Promise<void> {
    const pending = await stack.db.receiverDelivery.findMany({
      where: { status: "pending", alertId: null },
      select: { eventId: true },
    });
    const made = callsOf();
    for (const d of pending) {
      const n = made.get(d.eventId) ?? 0;
      if (n <= (counted.get(d.eventId) ?? 0)) continue;
      counted.set(d.eventId, n);
      inWindow.set(d.eventId, (inWindow.get(d.eventId) ?? 0) + 1);
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

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await hook.start();
    hook.onAnswered = () => {
      const c = child as (ChildProcess & { doomed?: boolean }) | null;
      if (!c || kills >= KILLS || c.doomed) return;
      c.doomed = true;
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
    await hook.stop();
    await stack?.stop();
  });

  it(`${KILLS} kills after an answer: every slo.changed event reaches the webhook, once by its id, signed`, async () => {
    expect(
      (await call(stack, "POST", "/api/v1/teams", { slug: "crashev", name: "Crash events" })).status,
    ).toBe(201);
    expect(
      (await call(stack, "POST", "/api/v1/services", { slug: "crashev-svc", name: "svc", team: "crashev" }))
        .status,
    ).toBe(201);
    const wh = await call(stack, "POST", "/api/v1/receivers", {
      team: "crashev",
      name: "hook",
      kind: "webhook",
      url: `${hook.url}/events`,
      events: ["slo.changed"],
    });
    expect(wh.status, JSON.stringify(wh.body)).toBe(201);
    const secret = wh.body!.signingSecret as string;
    for (let i = 0; i < SLOS; i++) {
      const s = await call(stack, "POST", "/api/v1/slos", {
        service: "crashev-svc",
        name: `SLO ${i}`,
        sli: { type: "availability" },
        objectivePercent: 99,
      });
      expect(s.status).toBe(201);
      const p = await call(stack, "PATCH", `/api/v1/slos/${s.body!.id}`, {
        objectivePercent: 99.5,
        reason: "a tighter objective",
      });
      expect(p.status).toBe(200);
    }
    const events = await stack.db.webhookEvent.findMany({ select: { id: true } });
    expect(events).toHaveLength(2 * SLOS);
    await waitFor(
      "every event delivered",
      async () =>
        (await stack.db.receiverDelivery.count({ where: { alertId: null, status: "sent" } })) === 2 * SLOS,
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
    // A late duplicate would show up here.
    await new Promise((r) => setTimeout(r, 3000));
    await Promise.all(windowCounts);

    const made = callsOf();
    expect([...made.keys()].sort()).toEqual(events.map((e) => e.id).sort());
    let repeated = 0;
    let windows = 0;
    for (const [id, n] of made) {
      const w = inWindow.get(id) ?? 0;
      expect(n, `event ${id}: ${n} calls, ${w} kills in its window`).toBeLessThanOrEqual(1 + w);
      repeated += n - 1;
      windows += w;
    }
    for (const r of hook.requests) {
      expect(r.json.type).toBe("slo.changed");
      expect(r.headers["burnrate-event-id"]).toBe(r.json.id);
      expect(verifyBurnrate(r.body, String(r.headers["burnrate-signature"]), secret)).toBe(true);
    }
    const changes = [...new Map(hook.requests.map((r) => [r.json.id, r.json.slo.change])).values()];
    expect(changes.filter((c) => c === "created")).toHaveLength(SLOS);
    expect(changes.filter((c) => c === "updated")).toHaveLength(SLOS);
    console.log(
      `webhook events crash test: ${kills} SIGKILLs, ${starts} worker starts; ${hook.requests.length} calls for ` +
        `${made.size} events (${repeated} repeated, ${windows} calls in a kill's window)`,
    );
    expect(kills).toBe(KILLS);
  }, 300_000);
});
