import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TWO_TIERS, alertsOf, ingest, setupSlo, traffic, visibleText } from "./alerting-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Slack delivery: rate limits, permanent errors, suppression", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => stack?.stop());

  it("retries `ratelimited` after Retry-After and records `channel_not_found` without retrying", async () => {
    const channel = "#rl-slo-breaches";
    const sloId = await setupSlo(stack, { team: "rl", channel, service: "rl-api", alerting: TWO_TIERS });
    stack.slack.failNext("chat.postMessage", { error: "ratelimited", status: 429, retryAfterSec: 2 });
    const now = Date.now();
    await ingest(stack, "rl-api", traffic(now - 20 * 60_000, now, 800, 10));
    await waitFor("the post after the rate limit", async () => stack.slack.topLevel(channel).length > 0);
    const posts = stack.slack.calls.filter(
      (c) => c.method === "chat.postMessage" && c.body.channel === channel,
    );
    expect(posts).toHaveLength(2);
    const retryDelayMs = posts[1]!.at - posts[0]!.at;
    console.log(`rate limit: retried ${retryDelayMs} ms after the 429 (Retry-After: 2)`);
    expect(retryDelayMs).toBeGreaterThanOrEqual(2000);
    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    const [alert] = await waitFor("the recorded post", async () => {
      const a = await alertsOf(stack, sloId);
      return a[0]?.slack.ts ? a : null;
    });
    expect(alert!.slack).toMatchObject({ channel, ts: stack.slack.topLevel(channel)[0]!.ts, error: null });

    const lost = "#lost-slo-breaches";
    const lostSlo = await setupSlo(stack, {
      team: "lost",
      channel: lost,
      service: "lost-api",
      alerting: TWO_TIERS,
    });
    stack.slack.failNext("chat.postMessage", { error: "channel_not_found" });
    await ingest(stack, "lost-api", traffic(now - 20 * 60_000, Date.now(), 800, 10));
    const [failed] = await waitFor("the recorded error", async () => {
      const a = await alertsOf(stack, lostSlo);
      return a[0]?.slack.error ? a : null;
    });
    expect(failed!.slack).toMatchObject({ error: "channel_not_found", ts: null });
    const runs = await stack.db.evaluationRun.count();
    await waitFor("five more cycles", async () => (await stack.db.evaluationRun.count()) >= runs + 5, 30_000);
    await sleep(2000);
    const attempts = stack.slack.calls.filter(
      (c) => c.method === "chat.postMessage" && c.body.channel === lost,
    );
    expect(attempts).toHaveLength(1);
    const delivery = await stack.db.slackDelivery.findFirstOrThrow({ where: { alertId: failed!.id } });
    expect(delivery).toMatchObject({ status: "failed", error: "channel_not_found", attempts: 1 });
    const shown = await call(stack, "GET", `/api/v1/alerts/${failed!.id}`);
    expect(shown.body!.slack.error).toBe("channel_not_found");
  });

  it("snooze, silence and maintenance each hold posts back for their time, then let them through", async () => {
    // --- snooze: a ticket posts; snoozed for 1 min; the escalation to page waits until the snooze ends.
    const snoozeFlow = async () => {
      const channel = "#snz-slo-breaches";
      const sloId = await setupSlo(stack, { team: "snz", channel, service: "snz-api", alerting: TWO_TIERS });
      const now = Date.now();
      await ingest(stack, "snz-api", traffic(now - 30 * 60_000, now, 1200, 20));
      await waitFor("the ticket", async () => stack.slack.topLevel(channel).length > 0);
      const msg = stack.slack.topLevel(channel)[0]!;
      const [alert] = await alertsOf(stack, sloId);
      const sn = await call(stack, "POST", `/api/v1/alerts/${alert!.id}/snooze`, { minutes: 1 });
      expect(sn.status).toBe(200);
      const snoozedUntil = Date.parse(sn.body!.snoozedUntil);
      await waitFor("the snooze reply", async () => stack.slack.replies(msg.ts).length === 1);
      const t = Date.now();
      await ingest(stack, "snz-api", traffic(t - 30_000, t, 1500, 1));
      await waitFor(
        "the escalation on the record",
        async () => (await alertsOf(stack, sloId))[0]!.severity === "page",
        30_000,
      );
      await sleep(3000);
      expect(Date.now()).toBeLessThan(snoozedUntil);
      expect(stack.slack.replies(msg.ts).map((r) => r.text)).toEqual([
        ":zzz: Snoozed for 1 min by token:bootstrap",
      ]);
      expect(msg.text).toMatch(/^:warning: Ticket/);
      const timeline = (await call(stack, "GET", `/api/v1/alerts/${alert!.id}`)).body!.events;
      expect(timeline.at(-1)).toMatchObject({ kind: "escalated", detail: { suppressed: "snooze" } });
      await waitFor(
        "the held escalation after the snooze",
        async () => stack.slack.replies(msg.ts).length === 2,
        90_000,
      );
      const releasedAt = Date.now();
      expect(releasedAt).toBeGreaterThanOrEqual(snoozedUntil);
      expect(stack.slack.replies(msg.ts)[1]!.text).toContain("Notifications resume (snooze ended)");
      expect(msg.text).toMatch(/^:rotating_light: Page/);
      expect(stack.slack.topLevel(channel)).toHaveLength(1);
      return releasedAt - snoozedUntil;
    };

    // --- silence: the alert is recorded but not posted while the silence lasts; posted when it ends.
    const silenceFlow = async () => {
      const channel = "#sil-slo-breaches";
      const sloId = await setupSlo(stack, { team: "sil", channel, service: "sil-api", alerting: TWO_TIERS });
      const endsAt = Date.now() + 15_000;
      const s = await call(stack, "POST", "/api/v1/silences", {
        service: "sil-api",
        region: "prod-eu",
        endsAt: new Date(endsAt).toISOString(),
        reason: "load test in prod-eu",
      });
      expect(s.status, JSON.stringify(s.body)).toBe(201);
      expect(s.body).toMatchObject({
        service: "sil-api",
        region: "prod-eu",
        active: true,
        author: "token:bootstrap",
      });
      const now = Date.now();
      await ingest(stack, "sil-api", traffic(now - 20 * 60_000, now, 800, 10));
      const [alert] = await waitFor("the silenced alert record", async () => {
        const a = await alertsOf(stack, sloId);
        return a.length ? a : null;
      });
      expect(alert).toMatchObject({ state: "firing" });
      await sleep(3000);
      expect(Date.now()).toBeLessThan(endsAt);
      expect(stack.slack.topLevel(channel)).toHaveLength(0);
      const active = await call(stack, "GET", "/api/v1/silences?state=active&service=sil-api");
      expect(active.body).toHaveLength(1);
      await waitFor(
        "the post after the silence",
        async () => stack.slack.topLevel(channel).length === 1,
        60_000,
      );
      const postedAt = Date.now();
      expect(postedAt).toBeGreaterThanOrEqual(endsAt);
      const timeline = (await call(stack, "GET", `/api/v1/alerts/${alert!.id}`)).body!.events;
      expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(["fired", "released"]);
      expect(timeline[0].detail).toMatchObject({ suppressed: "silence" });
      return postedAt - endsAt;
    };

    // --- maintenance window: the same, from a deployment of kind "maintenance".
    const maintenanceFlow = async () => {
      const channel = "#mnt-slo-breaches";
      const sloId = await setupSlo(stack, { team: "mnt", channel, service: "mnt-api", alerting: TWO_TIERS });
      const endsAt = Date.now() + 15_000;
      const m = await call(stack, "POST", "/api/v1/deployments", {
        service: "mnt-api",
        version: "db-upgrade",
        kind: "maintenance",
        endsAt: new Date(endsAt).toISOString(),
        note: "Postgres 17 upgrade",
      });
      expect(m.status, JSON.stringify(m.body)).toBe(201);
      expect(m.body).toMatchObject({
        kind: "maintenance",
        excludeFromBudget: false,
        author: "token:bootstrap",
      });
      const now = Date.now();
      await ingest(stack, "mnt-api", traffic(now - 20 * 60_000, now, 800, 10));
      await waitFor("the alert record", async () => (await alertsOf(stack, sloId)).length > 0);
      await sleep(3000);
      expect(Date.now()).toBeLessThan(endsAt);
      expect(stack.slack.topLevel(channel)).toHaveLength(0);
      await waitFor(
        "the post after the maintenance",
        async () => stack.slack.topLevel(channel).length === 1,
        60_000,
      );
      const postedAt = Date.now();
      expect(postedAt).toBeGreaterThanOrEqual(endsAt);
      expect(visibleText(stack.slack.topLevel(channel)[0]!.blocks)).toContain("mnt-api");
      return postedAt - endsAt;
    };

    const [snoozeLag, silenceLag, maintenanceLag] = await Promise.all([
      snoozeFlow(),
      silenceFlow(),
      maintenanceFlow(),
    ]);
    console.log(
      `released after: snooze ${snoozeLag} ms, silence ${silenceLag} ms, maintenance ${maintenanceLag} ms past their end`,
    );
  }, 180_000);

  it("silences: bad input is a clear 400, listing filters, and DELETE ends one", async () => {
    await setupSlo(stack, { team: "crud", service: "crud-api" });
    const noScope = await call(stack, "POST", "/api/v1/silences", {
      endsAt: new Date(Date.now() + 60_000).toISOString(),
      reason: "everything",
    });
    expect(noScope.status).toBe(400);
    expect(noScope.body!.error.message).toContain("at least one of team, service, sloId or region");
    const backwards = await call(stack, "POST", "/api/v1/silences", {
      team: "crud",
      startsAt: new Date(Date.now() + 120_000).toISOString(),
      endsAt: new Date(Date.now() + 60_000).toISOString(),
      reason: "oops",
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body!.error.message).toContain("endsAt");
    const unknown = await call(stack, "POST", "/api/v1/silences", {
      service: "nope",
      endsAt: new Date(Date.now() + 60_000).toISOString(),
      reason: "typo",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body!.error.message).toContain("service");
    const noReason = await call(stack, "POST", "/api/v1/silences", {
      team: "crud",
      endsAt: Date.now() + 60_000,
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body!.error.message).toContain("reason");
    const created = await call(stack, "POST", "/api/v1/silences", {
      team: "crud",
      endsAt: Date.now() + 3600_000,
      reason: "team offsite",
    });
    expect(created.status).toBe(201);
    const upcoming = await call(stack, "POST", "/api/v1/silences", {
      team: "crud",
      startsAt: Date.now() + 3600_000,
      endsAt: Date.now() + 7200_000,
      reason: "next week's migration",
    });
    expect(upcoming.body!.active).toBe(false);
    expect((await call(stack, "GET", "/api/v1/silences?team=crud&state=active")).body).toHaveLength(1);
    expect((await call(stack, "GET", "/api/v1/silences?team=crud&state=upcoming")).body).toHaveLength(1);
    const ended = await call(stack, "DELETE", `/api/v1/silences/${created.body!.id}`);
    expect(ended.status).toBe(200);
    expect(ended.body!.active).toBe(false);
    expect((await call(stack, "GET", "/api/v1/silences?team=crud&state=active")).body).toHaveLength(0);
    expect((await call(stack, "GET", "/api/v1/silences?team=crud&state=expired")).body).toHaveLength(1);
    expect(
      (await call(stack, "DELETE", "/api/v1/silences/00000000-0000-4000-8000-000000000000")).status,
    ).toBe(404);
    const badMaint = await call(stack, "POST", "/api/v1/deployments", {
      service: "crud-api",
      version: "x",
      kind: "maintenance",
    });
    expect(badMaint.status).toBe(400);
    expect(badMaint.body!.error.message).toContain("endsAt");
    const badKind = await call(stack, "POST", "/api/v1/deployments", {
      service: "crud-api",
      version: "x",
      excludeFromBudget: true,
    });
    expect(badKind.status).toBe(400);
    expect(badKind.body!.error.message).toContain("excludeFromBudget");
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it("a maintenance window excluded from the budget leaves the budget as if its minutes did not exist", async () => {
    const sloId = await setupSlo(stack, {
      team: "exc",
      channel: "#exc",
      service: "exc-api",
      objectivePercent: 99,
    });
    const end = Math.floor(Date.now() / 60_000) * 60_000; // whole minutes, so the window boundaries are exact
    const start = end - 20 * 60_000;
    // 20 minutes × 60 requests; in minutes 10–14 every request fails.
    const recs = traffic(start, end, 1200, 0).map((r) => {
      const minute = Math.floor((r.ts - start) / 60_000);
      return minute >= 10 && minute < 15 ? { ...r, status: 503 } : r;
    });
    await ingest(stack, "exc-api", recs);
    const before = await waitFor("the status", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${sloId}/status`);
      return s.body?.sli.total === 1200 ? s.body : null;
    });
    expect(before.errorBudget.bad).toBe(300);
    expect(before.errorBudget.allowed).toBeCloseTo(12, 9);
    expect(before.errorBudget.remainingFraction).toBeCloseTo(1 - 300 / 12, 9);

    const m = await call(stack, "POST", "/api/v1/deployments", {
      service: "exc-api",
      version: "failover drill",
      kind: "maintenance",
      at: new Date(start + 10 * 60_000).toISOString(),
      endsAt: new Date(start + 15 * 60_000).toISOString(),
      excludeFromBudget: true,
    });
    expect(m.status).toBe(201);
    expect(m.body).toMatchObject({
      excludeFromBudget: true,
      endsAt: new Date(start + 15 * 60_000).toISOString(),
    });
    const after = (await call(stack, "GET", `/api/v1/slos/${sloId}/status`)).body!;
    // As if minutes 10–14 never happened: 900 requests, none bad, the whole budget left.
    expect(after.sli).toMatchObject({ good: 900, total: 900, ratio: 1 });
    expect(after.errorBudget.bad).toBe(0);
    expect(after.errorBudget.allowed).toBeCloseTo(9, 9);
    expect(after.errorBudget.remainingFraction).toBe(1);
    // And it stays so through later evaluation cycles (they recompute recent minutes with the same rule).
    const runs = await stack.db.evaluationRun.count();
    await waitFor("two more cycles", async () => (await stack.db.evaluationRun.count()) >= runs + 2, 20_000);
    expect((await call(stack, "GET", `/api/v1/slos/${sloId}/status`)).body!.sli.total).toBe(900);
    const listed = await call(stack, "GET", "/api/v1/deployments?service=exc-api");
    expect(listed.body![0]).toMatchObject({ kind: "maintenance", excludeFromBudget: true });
  });
});

/** A stack whose clock the test moves forward: API and worker see the same shifted "now". */
describe("no-data alerts", () => {
  let stack: Stack;
  let offsetMs = 0;
  const now = () => Date.now() + offsetMs;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000, now });
  });
  afterAll(async () => stack?.stop());

  it("raises a no-data ticket when an SLO's service goes quiet, and resolves it when data returns", async () => {
    const channel = "#quiet-slo-breaches";
    const sloId = await setupSlo(stack, {
      team: "quiet",
      channel,
      service: "quiet-api",
      alerting: { noDataMinutes: 5 },
    });
    const t0 = now();
    // An hour of old history, backfilled now: that is not a service going quiet.
    await ingest(stack, "quiet-api", traffic(t0 - 90 * 60_000, t0 - 30 * 60_000, 600, 0));
    const runs = await stack.db.evaluationRun.count();
    await waitFor("three cycles", async () => (await stack.db.evaluationRun.count()) >= runs + 3, 20_000);
    expect(await alertsOf(stack, sloId)).toHaveLength(0);
    // Then 6 minutes pass with nothing from the service.
    offsetMs += 6 * 60_000;
    await waitFor("the no-data post", async () => stack.slack.topLevel(channel).length === 1);
    const [alert] = await alertsOf(stack, sloId);
    expect(alert).toMatchObject({ kind: "no_data", severity: "ticket", state: "firing" });
    const msg = stack.slack.topLevel(channel)[0]!;
    expect(msg.text).toContain("has received no requests for 5 min");
    await ingest(stack, "quiet-api", traffic(now() - 10_000, now(), 30, 0));
    await waitFor("the resolution", async () => (await alertsOf(stack, sloId))[0]!.state === "resolved");
    await waitFor("the message update", async () => msg.text.startsWith(":white_check_mark: Resolved"));
    await waitFor("the reply", async () => stack.slack.replies(msg.ts).length === 1);
    expect(stack.slack.replies(msg.ts)[0]!.text).toBe(":white_check_mark: Resolved");
    expect(await alertsOf(stack, sloId)).toHaveLength(1);
    expect((await call(stack, "GET", "/api/v1/alerts?kind=no_data")).body).toHaveLength(1);
  });
});
