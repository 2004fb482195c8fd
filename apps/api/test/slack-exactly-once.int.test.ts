import { createSlackSender } from "@burnrate/slack";
import { createDispatchJob } from "@burnrate/worker/dispatch";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertsOf, ingest, setupSlo, traffic, visibleText } from "./alerting-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";

/** Messages per idempotency key on the fake Slack (a key with 2+ messages is a duplicate). */
function keyCounts(stack: Stack): Map<string, number> {
  const byKey = new Map<string, number>();
  for (const m of stack.slack.messages) {
    const key = m.metadata?.event_payload?.key;
    if (typeof key === "string") byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  return byKey;
}

/**
 * The dispatch job called directly on a real database (and the fake Slack): an alert is made in SQL and its
 * events are delivered in a chosen order, with chosen faults. This reproduces exactly the interleavings that a
 * killed worker or a lost answer leave behind.
 */
describe("Slack delivery after a crash or out of order (dispatch job, real Postgres)", () => {
  let stack: Stack;
  let seq = 0;
  beforeAll(async () => {
    stack = await startStack({ worker: false });
  });
  afterAll(async () => stack?.stop());

  const log = pino({ level: "silent" });
  const job = (o: { tries?: number } = {}) =>
    createDispatchJob({
      db: stack.db,
      slack: createSlackSender({ token: "xoxb-direct", apiUrl: stack.slack.url }),
      publicUrl: "http://burnrate.test",
      now: Date.now,
      log,
      retryBaseMs: 10,
      ...o,
    });

  async function firingAlert(channel: string) {
    const n = ++seq;
    const sloId = await setupSlo(stack, { team: `direct${n}`, channel, service: `direct-${n}` });
    const at = new Date();
    const a = await stack.db.alert.create({
      data: {
        sloId,
        regionKey: "*",
        kind: "burn_rate",
        state: "firing",
        severity: "page",
        tiers: [],
        firedAt: at,
        events: { create: { kind: "fired", at, detail: { severity: "page" } } },
      },
      include: { events: true },
    });
    return { alertId: a.id, firedId: a.events[0]!.id };
  }
  async function event(alertId: string, kind: string, data: object, detail: object = {}) {
    await stack.db.alert.update({ where: { id: alertId }, data });
    const ev = await stack.db.alertEvent.create({ data: { alertId, kind, at: new Date(), detail } });
    return ev.id;
  }

  it("the post was stored but its answer lost (as a kill before the save): the ack finds the message by the alert's id; 1 post, ending resolved", async () => {
    const channel = "#direct-crash";
    const { alertId, firedId } = await firingAlert(channel);
    // Slack stores the first post, and the worker never learns its ts (the answer is lost; one try only, as a
    // worker killed right there would leave it: the delivery pending, no slack_ts).
    stack.slack.loseNextAnswers("chat.postMessage", 1);
    await expect(job({ tries: 1 })({ alertId, eventKind: "fired", eventId: firedId })).rejects.toThrow();
    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    expect((await stack.db.alert.findUniqueOrThrow({ where: { id: alertId } })).slackTs).toBeNull();

    // The next event is an ack: it must find that message (by the alert's id), not post a second one.
    const ackId = await event(
      alertId,
      "acknowledged",
      { state: "acknowledged", acknowledgedBy: "Ada", acknowledgedAt: new Date() },
      { by: "Ada" },
    );
    await job()({ alertId, eventKind: "acknowledged", eventId: ackId });
    const [msg] = stack.slack.topLevel(channel);
    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    expect((await stack.db.alert.findUniqueOrThrow({ where: { id: alertId } })).slackTs).toBe(msg!.ts);
    expect(visibleText(msg!.blocks)).toContain("Acknowledged by Ada");
    expect(stack.slack.replies(msg!.ts).map((r) => r.text)).toEqual([":eyes: Acknowledged by Ada"]);

    const resolvedId = await event(alertId, "resolved", { state: "resolved", resolvedAt: new Date() });
    await job()({ alertId, eventKind: "resolved", eventId: resolvedId });
    // The first event's own job, retried late (as the queue does after a kill): nothing more is posted.
    await job()({ alertId, eventKind: "fired", eventId: firedId });

    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    expect(msg!.text).toMatch(/^:white_check_mark: Resolved/);
    expect(visibleText(msg!.blocks)).toContain("Resolved: no tier is burning any more");
    expect(stack.slack.replies(msg!.ts).map((r) => r.text)).toEqual([
      ":eyes: Acknowledged by Ada",
      ":white_check_mark: Resolved",
    ]);
    const deliveries = await stack.db.slackDelivery.findMany({ where: { alertId } });
    expect(deliveries.map((d) => d.status).sort()).toEqual(["sent", "sent", "sent"]);
    expect([...keyCounts(stack).values()].filter((n) => n > 1)).toEqual([]);
  });

  it("a 'fired' delivered after the ack is not news: one message showing the ack, no 'Firing again'", async () => {
    const channel = "#direct-order";
    const { alertId, firedId } = await firingAlert(channel);
    const ackId = await event(
      alertId,
      "acknowledged",
      { state: "acknowledged", acknowledgedBy: "Lin", acknowledgedAt: new Date() },
      { by: "Lin" },
    );
    // The ack's job runs first (the fired job was delayed: a killed worker, a backoff).
    await job()({ alertId, eventKind: "acknowledged", eventId: ackId });
    await job()({ alertId, eventKind: "fired", eventId: firedId });
    const top = stack.slack.topLevel(channel);
    expect(top).toHaveLength(1);
    expect(visibleText(top[0]!.blocks)).toContain("Acknowledged by Lin");
    expect(visibleText(top[0]!.blocks)).not.toContain(":fire: Firing");
    const replies = stack.slack.replies(top[0]!.ts).map((r) => r.text);
    expect(replies).toEqual([":eyes: Acknowledged by Lin"]);
    expect(replies.join("\n")).not.toContain("Firing again");
  });

  it("answers lost on every kind of call, and 500s and rate limits: each try looks its key up first", async () => {
    const channel = "#direct-faults";
    const { alertId, firedId } = await firingAlert(channel);
    stack.slack.setFaults({ http500: 0.1, ratelimited: 0.1, retryAfterSec: 1, loseAnswer: 0.5, seed: 7 });
    try {
      const ids = [firedId];
      await job()({ alertId, eventKind: "fired", eventId: firedId });
      for (let i = 0; i < 4; i++) {
        const id = await event(
          alertId,
          "snoozed",
          { snoozedUntil: new Date(Date.now() + (i + 1) * 60_000) },
          { by: `u${i}`, minutes: i + 1 },
        );
        ids.push(id);
        await job()({ alertId, eventKind: "snoozed", eventId: id });
      }
      const top = stack.slack.topLevel(channel);
      expect(top).toHaveLength(1);
      expect(stack.slack.replies(top[0]!.ts)).toHaveLength(4);
      const counts = keyCounts(stack);
      for (const id of ids) expect(counts.get(`${alertId}:${id}`)).toBe(1);
      expect(stack.slack.faultCounts.lostAnswers).toBeGreaterThan(0);
    } finally {
      stack.slack.setFaults({});
    }
  });
});

/** The whole path (evaluation, API, queue, worker) with a fake Slack that loses 30% of its answers. */
describe("Slack loses 30% of its answers after storing the message", () => {
  let stack: Stack;
  const ALERTS = 12;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => {
    stack?.slack.setFaults({});
    await stack?.stop();
  });

  it(`${ALERTS} alerts, each acked: ${ALERTS} top-level posts, one reply each, no duplicate`, async () => {
    const channel = "#lossy-slo-breaches";
    const ids: string[] = [];
    for (let i = 0; i < ALERTS; i++)
      ids.push(await setupSlo(stack, { team: "lossy", channel, service: `lossy-${i}` }));
    stack.slack.setFaults({ loseAnswer: 0.3, seed: 12 });
    const now = Date.now();
    for (let i = 0; i < ALERTS; i++)
      await ingest(stack, `lossy-${i}`, traffic(now - 20 * 60_000, now, 600, 10));
    const fired = await waitFor(
      "every alert posted and recorded",
      async () => {
        const all = await Promise.all(ids.map((id) => alertsOf(stack, id)));
        return all.every((a) => a[0]?.slack.ts) ? all.map((a) => a[0]!) : null;
      },
      180_000,
      500,
    );
    for (const a of fired) expect((await call(stack, "POST", `/api/v1/alerts/${a.id}/ack`)).status).toBe(200);
    const events = await stack.db.alertEvent.findMany({
      where: { alert: { sloId: { in: ids } }, kind: { in: ["fired", "acknowledged"] } },
    });
    expect(events).toHaveLength(2 * ALERTS);
    await waitFor(
      "every event delivered",
      async () =>
        (await stack.db.slackDelivery.count({
          where: { idempotencyKey: { in: events.map((e) => `${e.alertId}:${e.id}`) }, status: "sent" },
        })) === events.length,
      180_000,
      500,
    );
    // A late duplicate (a retry that did not look first) would show up in these seconds.
    await new Promise((r) => setTimeout(r, 3000));
    const top = stack.slack.topLevel(channel);
    const counts = keyCounts(stack);
    const dupReplies = fired.reduce(
      (n, a) => n + Math.max(0, stack.slack.replies(a.slack.ts!).length - 1),
      0,
    );
    console.log(
      `lossy Slack: ${stack.slack.faultCounts.lostAnswers} answers lost; ${top.length} top-level posts for ` +
        `${ALERTS} alerts, ${dupReplies} duplicate replies`,
    );
    expect(stack.slack.faultCounts.lostAnswers).toBeGreaterThan(0);
    expect(top).toHaveLength(ALERTS);
    expect(dupReplies).toBe(0);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    for (const a of fired) {
      const msg = top.find((m) => m.ts === a.slack.ts)!;
      const replies = stack.slack.replies(msg.ts).map((r) => r.text);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(/^:eyes: Acknowledged by /);
      expect(visibleText(msg.blocks)).toContain(":eyes: Acknowledged by");
    }
  });
});
