import { createJobQueues, hotServicesKey, type JobQueues } from "@burnrate/jobs";
import { createBackfillJob } from "@burnrate/worker/backfill";
import { createFastPass, evaluateSlos } from "@burnrate/worker/evaluate";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertsOf, ingest, setupSlo, traffic, type Req } from "./alerting-helpers";
import { call, startStack, type Stack } from "./harness";

/** The fast tier alone (the workbook's 1 h / 5 min at 14.4×): what a full outage pages on first. */
const FAST_TIER = {
  tiers: [
    { name: "fast-page", severity: "page", longWindowMinutes: 60, shortWindowMinutes: 5, factor: 14.4 },
  ],
};
const log = pino({ level: process.env.TEST_LOG ?? "silent" });

/**
 * The fast pass between cycles: ingest marks services with server errors, the worker evaluates their SLOs at
 * once with the cycle's own code and slo-core's decisions. It pages exactly when a full evaluation at the same
 * instant pages, never on a partial minute alone, and one outage is one alert and one dispatch whoever (fast
 * pass, cycle, a second worker) evaluates it.
 */
describe("fast pass", () => {
  let stack: Stack;
  let jobs: JobQueues;
  // 30 s into the minute before the real one: every record is in the past, whatever the hour.
  const minuteStart = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const clock = minuteStart + 30_000;
  const now = () => clock;
  const fastPass = () =>
    createFastPass({
      db: stack.db,
      redis: stack.redis,
      enqueue: jobs.enqueue,
      hotKey: hotServicesKey(stack.prefix),
      now,
      log,
    })();
  const fullEvaluation = (sloId: string) =>
    evaluateSlos({ db: stack.db, enqueue: jobs.enqueue, now, log }, [sloId], {});
  const dispatches = async () =>
    (await stack.queue.getJobs(["waiting", "delayed", "active", "completed", "failed"])).filter(
      (j) => j.name === "alert.dispatch",
    );
  /** The SLO's history from the rollups, as its backfill job writes it once it is created. */
  const backfill = (sloId: string) => createBackfillJob({ db: stack.db, now, log })({ sloId });
  /** An hour of healthy traffic (2 requests a second) up to the outage. */
  const healthyHour = (upToMs: number) => traffic(upToMs - 3600_000, upToMs, 7200, 0);

  beforeAll(async () => {
    stack = await startStack({ now });
    jobs = createJobQueues({ connection: stack.redis, prefix: stack.prefix });
  });
  afterAll(async () => {
    await jobs?.close();
    await stack?.stop();
  });

  it("ingest marks only services with server errors, with the minute of their newest one", async () => {
    await setupSlo(stack, { team: "shop", service: "calm", objectivePercent: 99.9, alerting: FAST_TIER });
    await setupSlo(stack, { team: "shop", service: "flaky", objectivePercent: 99.9, alerting: FAST_TIER });
    await ingest(stack, "calm", traffic(minuteStart - 120_000, minuteStart, 100, 0));
    await ingest(stack, "flaky", [
      { ts: minuteStart - 90_000, status: 503 },
      { ts: minuteStart + 1_000, status: 502 },
      { ts: minuteStart + 2_000, status: 404 },
    ]);
    const key = hotServicesKey(stack.prefix);
    const marks = await stack.redis.zrange(key, "0", "-1", "WITHSCORES");
    const services = await stack.db.service.findMany({ where: { slug: { in: ["calm", "flaky"] } } });
    const flaky = services.find((s) => s.slug === "flaky")!.id;
    expect(marks).toEqual([flaky, String(minuteStart)]);
    // Taken whole: a second pass (another worker) finds nothing.
    const [a, b] = await Promise.all([fastPass(), fastPass()]);
    expect(a.services + b.services).toBe(1);
    expect(await stack.redis.exists(key)).toBe(0);
  });

  it("does not page on a partial minute of errors that a full evaluation at that instant does not page on", async () => {
    const sloId = await setupSlo(stack, {
      team: "shop",
      service: "blip",
      objectivePercent: 99.9,
      alerting: FAST_TIER,
    });
    // 20 s of total failure in the current minute: the minute alone (and the 5 min window) burns far above
    // 14.4×, but the hour does not (40 bad of about 7,240: 5.5×). A full evaluation does not page.
    const outage: Req[] = traffic(minuteStart + 10_000, clock, 40, 1);
    await ingest(stack, "blip", [...healthyHour(minuteStart + 10_000), ...outage]);
    await backfill(sloId);
    expect(await stack.redis.zcard(hotServicesKey(stack.prefix))).toBe(1);
    expect(await fastPass()).toEqual({ services: 1, slos: 1 });
    expect(await alertsOf(stack, sloId)).toHaveLength(0);
    await fullEvaluation(sloId);
    expect(await alertsOf(stack, sloId)).toHaveLength(0);
    expect(await dispatches()).toHaveLength(0);
  });

  it("pages within the pass once the fast tier holds; the cycle and later passes add nothing", async () => {
    const sloId = await setupSlo(stack, {
      team: "shop",
      service: "down",
      objectivePercent: 99.9,
      alerting: FAST_TIER,
    });
    // 30 s of total failure at ten times the usual rate (clients retrying): 600 bad in the hour, 77×.
    await ingest(stack, "down", [
      ...healthyHour(minuteStart),
      ...traffic(minuteStart, minuteStart + 30_000, 600, 1),
    ]);
    await backfill(sloId);
    expect(await alertsOf(stack, sloId)).toHaveLength(0);
    await fastPass();
    const [alert] = await alertsOf(stack, sloId);
    expect(alert).toMatchObject({ state: "firing", severity: "page", kind: "burn_rate" });
    expect(await dispatches()).toHaveLength(1);

    // The cycle evaluates the same SLO at the same instant: the alert is open, nothing new.
    await fullEvaluation(sloId);
    // More failures: the next passes (two workers at once) find the alert open.
    await ingest(stack, "down", traffic(minuteStart + 20_000, minuteStart + 30_000, 100, 1));
    await Promise.all([fastPass(), fastPass()]);
    await fullEvaluation(sloId);
    const after = await alertsOf(stack, sloId);
    expect(after).toHaveLength(1);
    const one = await call(stack, "GET", `/api/v1/alerts/${alert!.id}`);
    expect(one.body!.events.map((e: { kind: string }) => e.kind)).toEqual(["fired"]);
    expect(await dispatches()).toHaveLength(1);
  });

  it("leaves services without SLOs and an empty set alone", async () => {
    expect(await fastPass()).toEqual({ services: 0, slos: 0 });
    const s = await call(stack, "POST", "/api/v1/services", { slug: "bare", name: "bare", team: "shop" });
    expect(s.status).toBe(201);
    await ingest(stack, "bare", [{ ts: minuteStart, status: 500 }]);
    expect(await fastPass()).toEqual({ services: 1, slos: 0 });
  });
});
