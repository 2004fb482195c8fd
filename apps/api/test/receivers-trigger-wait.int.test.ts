import { JOBS, createJobQueues, type JobQueues } from "@burnrate/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupSlo } from "./alerting-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";
import { FakeReceiver } from "./receiver-fakes";

/** Tries the queue gives one receiver delivery job: a wait for the trigger must not spend them. */
const TRIES = JOBS["receiver.deliver"].opts.attempts;

/**
 * A resolve waits for its receiver's trigger, on a real worker with its real queue (Redis) and database: the trigger
 * is held up (the test holds the advisory lock its delivery takes) for longer than the resolve job has tries, and
 * the resolve still goes out exactly once, right after the trigger.
 */
describe("a resolve waiting for its trigger", () => {
  let stack: Stack;
  let jobs: JobQueues;
  const pd = new FakeReceiver();
  let sloId: string;
  let receiverId: string;

  beforeAll(async () => {
    // Evaluation once an hour: no evaluator's event comes in between.
    stack = await startStack({ worker: true, evalEveryMs: 3_600_000 });
    await pd.start();
    jobs = createJobQueues({ connection: stack.redis, prefix: stack.prefix });
    sloId = await setupSlo(stack, { team: "waitrecv", service: "waitrecv-svc" });
    const r = await call(stack, "POST", "/api/v1/receivers", {
      team: "waitrecv",
      name: "pd",
      kind: "pagerduty",
      url: pd.url,
      secret: "pd-wait",
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    receiverId = (r.body as { id: string }).id;
  });
  afterAll(async () => {
    await jobs?.close();
    await pd.stop();
    await stack?.stop();
  });

  /** Holds an advisory lock the way a delivery takes it, until the returned release is called. */
  async function holdLock(name: string): Promise<() => Promise<void>> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const held = stack.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))::text`;
        locked();
        await released;
      },
      { timeout: 180_000 },
    );
    await Promise.race([isLocked, held]);
    return async () => {
      release();
      await held;
    };
  }

  /** An alert that fired and resolved: its events, nothing enqueued. */
  async function firedAndResolved() {
    const firedAt = new Date();
    const resolvedAt = new Date(firedAt.getTime() + 1);
    const a = await stack.db.alert.create({
      data: {
        sloId,
        regionKey: "prod-eu",
        kind: "burn_rate",
        state: "resolved",
        severity: "page",
        tiers: [],
        firedAt,
        resolvedAt,
        events: {
          create: [
            { kind: "fired", at: firedAt, detail: { severity: "page" } },
            { kind: "resolved", at: resolvedAt },
          ],
        },
      },
      include: { events: true },
    });
    const fired = a.events.find((e) => e.kind === "fired")!;
    const resolved = a.events.find((e) => e.kind === "resolved")!;
    return { alertId: a.id, firedEventId: fired.id, resolvedEventId: resolved.id };
  }

  const actions = (alertId: string) =>
    pd.requests.filter((r) => r.json?.dedup_key === alertId).map((r) => r.json.event_action as string);
  const job = (eventId: string) => stack.queue.getJob(`receivers-${eventId}`);

  /** The trigger is released: one trigger, then one resolve, and nothing more a few seconds later. */
  async function deliveredOnce(alertId: string, resolvedEventId: string) {
    await waitFor(
      "the resolve delivered",
      async () =>
        (await stack.db.receiverDelivery.count({
          where: { alertId, type: "alert.resolved", status: "sent" },
        })) === 1,
      60_000,
    );
    await new Promise((r) => setTimeout(r, 3000));
    expect(actions(alertId)).toEqual(["trigger", "resolve"]);
    const rows = await stack.db.receiverDelivery.findMany({ where: { alertId }, orderBy: { sentAt: "asc" } });
    expect(rows.map((r) => [r.type, r.status, r.attempts])).toEqual([
      ["alert.firing", "sent", 1],
      ["alert.resolved", "sent", 1],
    ]);
    // Done and removed: nothing left to run it again.
    expect(await job(resolvedEventId)).toBeUndefined();
  }

  it(`runs again while it waits (more than its ${TRIES} tries) without spending a try, and is sent once after the trigger`, async () => {
    const a = await firedAndResolved();
    const release = await holdLock(`receiver:${a.alertId}:${receiverId}:alert.firing`);
    try {
      await jobs.enqueue("receiver.deliver", {
        alertId: a.alertId,
        eventKind: "resolved",
        eventId: a.resolvedEventId,
      });
      await jobs.enqueue("receiver.deliver", {
        alertId: a.alertId,
        eventKind: "fired",
        eventId: a.firedEventId,
      });
      // The resolve has looked for its trigger more often than the queue would retry a failing job.
      const waiting = await waitFor(
        `the resolve run more than ${TRIES} times`,
        async () => {
          const j = await job(a.resolvedEventId);
          expect(j, "the resolve job is gone while its trigger is pending").toBeDefined();
          return j!.attemptsStarted > TRIES ? j : null;
        },
        90_000,
        200,
      );
      expect(waiting.attemptsMade).toBe(0);
      expect(actions(a.alertId)).toEqual([]);
    } finally {
      await release();
    }
    await deliveredOnce(a.alertId, a.resolvedEventId);
  }, 180_000);

  it("whose job is gone is added again by the receiver sweep, and sent once after the trigger", async () => {
    // Neither job was ever enqueued (lost): the sweep adds both once the events are past its grace.
    const a = await firedAndResolved();
    const release = await holdLock(`receiver:${a.alertId}:${receiverId}:alert.firing`);
    try {
      await waitFor(
        "the sweep to add the resolve again, and the resolve to wait for its trigger",
        async () => ((await job(a.resolvedEventId))?.attemptsStarted ?? 0) >= 2,
        90_000,
        200,
      );
      expect(actions(a.alertId)).toEqual([]);
    } finally {
      await release();
    }
    await deliveredOnce(a.alertId, a.resolvedEventId);
  }, 180_000);
});
