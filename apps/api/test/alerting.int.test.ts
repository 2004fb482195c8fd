import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  TWO_TIERS,
  alertsOf,
  ingest,
  postInteraction,
  setupSlo,
  slackForm,
  slackSign,
  traffic,
  visibleText,
} from "./alerting-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";

const SECRET = "test-signing-secret-0123456789abcdef";

/** One alert per incident, updated in place; the message as Slack receives it; signed buttons. */
describe("burn-rate alerting to Slack", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      worker: true,
      evalEveryMs: 1000,
      apiEnv: { SLACK_SIGNING_SECRET: SECRET, SLACK_BOT_TOKEN: "xoxb-test" },
    });
  });
  afterAll(async () => stack?.stop());

  it("ten evaluations of one incident give one message; ticket → page updates it and replies in the thread", async () => {
    const channel = "#payments-slo-breaches";
    const sloId = await setupSlo(stack, {
      team: "payments",
      channel,
      service: "checkout",
      alerting: TWO_TIERS,
      runbookUrl: "https://runbooks.example.com/checkout",
    });
    await call(stack, "POST", "/api/v1/deployments", {
      service: "checkout",
      region: "prod-eu",
      version: "v2.4.1",
      at: Date.now() - 20 * 60_000,
    });
    const now = Date.now();
    // 30 min at 5% errors: burn 5× (ε = 1%) fires the 2× ticket tier, not the 50× page tier.
    await ingest(stack, "checkout", traffic(now - 30 * 60_000, now, 1200, 20));
    await waitFor("the ticket post", async () => stack.slack.topLevel(channel).length > 0);
    const [alert] = await alertsOf(stack, sloId);
    expect(alert).toMatchObject({ state: "firing", severity: "ticket", kind: "burn_rate" });

    const runs0 = await stack.db.evaluationRun.count();
    await waitFor(
      "ten more evaluation cycles",
      async () => (await stack.db.evaluationRun.count()) >= runs0 + 10,
      40_000,
    );
    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    const msg = stack.slack.topLevel(channel)[0]!;
    expect(msg.updates).toBe(0);
    expect(stack.slack.replies(msg.ts)).toHaveLength(0);
    expect(msg.text).toMatch(/^:warning: Ticket/);

    // Everything PRODUCT.md lists, as the fake Slack received it.
    const shown = visibleText(msg.blocks);
    for (const part of [
      "checkout",
      "*Endpoint*\nGET /cart",
      "*Region*\nprod-eu",
      "99% of GET /cart requests succeed over 28 days",
      "*Priority*\n",
      "*Burn rate (1h)*\n",
      "*Budget spent in 1h*\n",
      "*Budget left this period*\n",
      "*Time to exhaustion*\n",
      "`v2.4.1`",
      `<${stack.baseUrl}/slos/${sloId}?region=prod-eu|SLO page>`,
      "<https://runbooks.example.com/checkout|Runbook>",
      "Acknowledge",
      "Snooze 2 h",
      "Open",
    ])
      expect(shown, part).toContain(part);
    // The burn rate at the time it fired: above the 2× ticket threshold, at most the 5× of the full data.
    const burn = Number(/\*Burn rate \(1h\)\*\n([\d.]+)×/.exec(shown)?.[1]);
    expect(burn).toBeGreaterThan(2);
    expect(burn).toBeLessThanOrEqual(5);
    // The SLO has no priority: the alert carries one derived from the burn (the budget is long gone).
    expect(alert!.priority).toBe("P1");
    expect(shown).toContain("P1 (derived from burn rate and budget left)");

    // A fast burn on top: 1500 failures in the last minute take both windows above 50× (1 h: 1560/2700).
    const t = Date.now();
    await ingest(stack, "checkout", traffic(t - 30_000, t, 1500, 1));
    await waitFor("the escalation reply", async () => stack.slack.replies(msg.ts).length > 0);
    await waitFor("the update", async () => msg.updates > 0);
    expect(stack.slack.topLevel(channel)).toHaveLength(1);
    expect(msg.text).toMatch(/^:rotating_light: Page/);
    expect(stack.slack.replies(msg.ts).map((r) => r.text)).toEqual([":arrow_double_up: Escalated to page"]);
    const calls = stack.slack.calls.filter((c) => c.method === "chat.update");
    expect(calls.every((c) => c.body.ts === msg.ts)).toBe(true);
    const after = await alertsOf(stack, sloId);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: alert!.id, severity: "page", state: "firing" });

    // The timeline and the filters.
    const one = await call(stack, "GET", `/api/v1/alerts/${alert!.id}`);
    expect(one.body!.events.map((e: { kind: string }) => e.kind)).toEqual(["fired", "escalated"]);
    expect((await call(stack, "GET", "/api/v1/alerts?team=payments&severity=page")).body).toHaveLength(1);
    expect((await call(stack, "GET", "/api/v1/alerts?team=payments&severity=ticket")).body).toHaveLength(0);
    expect((await call(stack, "GET", "/api/v1/alerts?service=checkout&state=open")).body).toHaveLength(1);
    expect((await call(stack, "GET", "/api/v1/alerts?service=nope")).body).toHaveLength(0);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await call(stack, "GET", `/api/v1/alerts?from=${future}`)).body).toHaveLength(1); // still open
    expect(
      (await call(stack, "GET", `/api/v1/alerts?to=${new Date(now - 3600_000).toISOString()}`)).body,
    ).toHaveLength(0);
    const bad = await call(stack, "GET", "/api/v1/alerts?severity=urgent");
    expect(bad.status).toBe(400);
    expect(bad.body!.error.message).toContain("severity");
    const badTime = await call(stack, "GET", "/api/v1/alerts?from=yesterday");
    expect(badTime.status).toBe(400);
    expect(badTime.body!.error.message).toContain("from");
  });

  it("signed Slack buttons: forged, stale and replayed requests get 401; a valid ack updates the alert and the message", async () => {
    const channel = "#search-slo-breaches";
    const sloId = await setupSlo(stack, { team: "search", channel, service: "search", alerting: TWO_TIERS });
    const now = Date.now();
    await ingest(stack, "search", traffic(now - 20 * 60_000, now, 800, 10));
    await waitFor("the post", async () => stack.slack.topLevel(channel).length > 0);
    const [alert] = await alertsOf(stack, sloId);
    const msg = stack.slack.topLevel(channel)[0]!;

    const ack = slackForm({
      type: "block_actions",
      user: { id: "U42", username: "ada", name: "ada", email: stack.admin.email.toUpperCase() },
      actions: [{ action_id: "ack", value: alert!.id, block_id: `alert:${alert!.id}` }],
    });
    const ts = Math.floor(Date.now() / 1000);
    // Forged: signed with another secret.
    const forged = await postInteraction(stack, ack, { ts, signature: slackSign("not-the-secret", ts, ack) });
    expect(forged.status).toBe(401);
    expect(forged.body).toContain("signature mismatch");
    // Tampered body under a valid signature.
    const tampered = await postInteraction(stack, ack.replace("ack", "snooze"), {
      ts,
      signature: slackSign(SECRET, ts, ack),
    });
    expect(tampered.status).toBe(401);
    // Stale: a correct signature over a timestamp 6 minutes old.
    const old = ts - 6 * 60;
    const stale = await postInteraction(stack, ack, { ts: old, signature: slackSign(SECRET, old, ack) });
    expect(stale.status).toBe(401);
    expect(stale.body).toContain("stale timestamp");
    // Missing headers.
    expect((await postInteraction(stack, ack, { ts, signature: "" })).status).toBe(401);
    expect((await alertsOf(stack, sloId))[0]!.state).toBe("firing");

    // Valid.
    const ok = await postInteraction(stack, ack, { ts, signature: slackSign(SECRET, ts, ack) });
    expect(ok.status, ok.body).toBe(200);
    // Replayed: the very same signed request again.
    const replay = await postInteraction(stack, ack, { ts, signature: slackSign(SECRET, ts, ack) });
    expect(replay.status).toBe(401);
    expect(replay.body).toContain("already received");

    const acked = await alertsOf(stack, sloId);
    expect(acked[0]).toMatchObject({ state: "acknowledged" });
    const one = await call(stack, "GET", `/api/v1/alerts/${alert!.id}`);
    expect(one.body!.acknowledgedBy).toBe(`Admin (${stack.admin.email})`);
    await waitFor("the message to show the ack", async () =>
      visibleText(msg.blocks).includes(`Acknowledged by Admin (${stack.admin.email})`),
    );
    await waitFor("the ack reply", async () => stack.slack.replies(msg.ts).length > 0);
    expect(stack.slack.replies(msg.ts)[0]!.text).toBe(`:eyes: Acknowledged by Admin (${stack.admin.email})`);
    expect(visibleText(msg.blocks)).not.toContain('"ack"');

    // Snooze 2 h from Slack, by a Slack user who is not a Burnrate user.
    const snooze = slackForm({
      type: "block_actions",
      user: { id: "U7", username: "grace", name: "grace" },
      actions: [{ action_id: "snooze", value: alert!.id }],
    });
    const ts2 = Math.floor(Date.now() / 1000);
    const s = await postInteraction(stack, snooze, { ts: ts2, signature: slackSign(SECRET, ts2, snooze) });
    expect(s.status, s.body).toBe(200);
    const snoozed = (await call(stack, "GET", `/api/v1/alerts/${alert!.id}`)).body!;
    const minutes = (Date.parse(snoozed.snoozedUntil) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(118);
    expect(minutes).toBeLessThanOrEqual(120);
    await waitFor("the snooze reply", async () =>
      stack.slack.replies(msg.ts).some((r) => r.text === ":zzz: Snoozed for 120 min by @grace"),
    );
    expect(stack.slack.topLevel(channel)).toHaveLength(1);

    // A signed but malformed payload is a clear 400, not a 500.
    const junk = "payload=%7Bnot-json";
    const ts3 = Math.floor(Date.now() / 1000);
    const j = await postInteraction(stack, junk, { ts: ts3, signature: slackSign(SECRET, ts3, junk) });
    expect(j.status).toBe(400);
    expect(j.body).toContain("payload");
    expect(stack.statuses.filter((x) => x >= 500)).toEqual([]);
  });

  it("Slack settings and the per-team test message", async () => {
    const settings = await call(stack, "GET", "/api/v1/settings/slack");
    expect(settings.body).toMatchObject({ configured: true, signingSecretConfigured: true });
    await setupSlo(stack, { team: "ops", channel: "#ops-alerts", service: "ops-api" });
    const sent = await call(stack, "POST", "/api/v1/teams/ops/slack-test");
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, channel: "#ops-alerts" });
    expect(stack.slack.topLevel("#ops-alerts").map((m) => m.text)).toEqual([
      expect.stringContaining("Burnrate test message for team ops"),
    ]);
    stack.slack.failNext("chat.postMessage", { error: "channel_not_found" });
    const refused = await call(stack, "POST", "/api/v1/teams/ops/slack-test");
    expect(refused.status).toBe(409);
    expect(refused.body!.error.message).toContain("channel_not_found");
    expect((await call(stack, "POST", "/api/v1/teams/nope/slack-test")).status).toBe(404);
  });
});

describe("without a Slack token", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000, slackToken: null });
  });
  afterAll(async () => stack?.stop());

  it("records alerts, says Slack is not configured, refuses the test message with 409 and buttons with 401", async () => {
    const settings = await call(stack, "GET", "/api/v1/settings/slack");
    expect(settings.body).toMatchObject({ configured: false, signingSecretConfigured: false });
    expect(settings.body!.message).toContain("Slack is not configured");
    const sloId = await setupSlo(stack, { team: "payments", service: "checkout", alerting: TWO_TIERS });
    const test = await call(stack, "POST", "/api/v1/teams/payments/slack-test");
    expect(test.status).toBe(409);
    expect(test.body!.error.message).toContain("Slack is not configured");
    const now = Date.now();
    await ingest(stack, "checkout", traffic(now - 20 * 60_000, now, 800, 10));
    const [alert] = await waitFor("the alert with its Slack error", async () => {
      const a = await alertsOf(stack, sloId);
      return a[0]?.slack.error ? a : null;
    });
    expect(alert).toMatchObject({ state: "firing", slack: { ts: null, error: "slack_not_configured" } });
    expect(stack.slack.messages).toHaveLength(0);
    const body = slackForm({ type: "block_actions", actions: [{ action_id: "ack", value: alert!.id }] });
    const ts = Math.floor(Date.now() / 1000);
    const r = await postInteraction(stack, body, { ts, signature: slackSign("x", ts, body) });
    expect(r.status).toBe(401);
    expect(r.body).toContain("SLACK_SIGNING_SECRET");
  });
});
