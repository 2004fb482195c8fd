import { createHmac, timingSafeEqual } from "node:crypto";
import { createSecretBox } from "@burnrate/db";
import {
  createReceiverDeliverJob,
  createReceiverSweepJob,
  createWebhookEventDeliverJob,
} from "@burnrate/worker/receivers";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupSlo } from "./alerting-helpers";
import { TEST_SECRET_KEY, call, ndjson, startStack, waitFor, type Stack } from "./harness";
import { FakeReceiver, type ReceivedRequest } from "./receiver-fakes";

/** The signature recipe of the README, as a receiver would write it. */
function verifyBurnrate(rawBody: string, header: string, secret: string, toleranceSec = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > toleranceSec) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === 32 && timingSafeEqual(given, Buffer.from(expected, "hex"));
}

const log = pino({ level: "silent" });
type Delivery = {
  type: string;
  eventId: string;
  alertId: string | null;
  status: string;
  attempts: number;
  lastStatus: number | null;
  error: string | null;
  deliveredAt: string | null;
};

/**
 * slo.changed and the receivers' `events` choice on a real database, delivered by the worker's handlers called
 * directly (no worker running, so each run is the test's), to a local webhook receiver.
 */
describe("webhook events: slo.changed, the events a receiver takes, the delivery log", () => {
  let stack: Stack;
  const hook = new FakeReceiver();
  const other = new FakeReceiver();
  let seq = 0;
  const deps = () => ({
    db: stack.db,
    publicUrl: "http://burnrate.test",
    now: Date.now,
    log,
    retryBaseMs: 10,
    secrets: createSecretBox(TEST_SECRET_KEY),
  });
  const eventJob = (o: { tries?: number; maxAttempts?: number } = {}) =>
    createWebhookEventDeliverJob({ ...deps(), ...o });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await Promise.all([hook.start(), other.start()]);
  });
  afterAll(async () => {
    await Promise.all([hook.stop(), other.stop()]);
    await stack?.stop();
  });

  async function team() {
    const n = ++seq;
    const sloId = await setupSlo(stack, { team: `wev${n}`, service: `wev-svc-${n}` });
    return { team: `wev${n}`, service: `wev-svc-${n}`, sloId };
  }
  async function receiver(body: object) {
    const r = await call(stack, "POST", "/api/v1/receivers", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; signingSecret?: string; events: string[] };
  }
  /** The webhook events of a team, oldest first. */
  async function eventsOf(teamSlug: string) {
    const t = await stack.db.team.findUniqueOrThrow({ where: { slug: teamSlug } });
    return stack.db.webhookEvent.findMany({ where: { teamId: t.id }, orderBy: { occurredAt: "asc" } });
  }
  async function deliveries(receiverId: string) {
    const r = await call(stack, "GET", `/api/v1/receivers/${receiverId}/deliveries`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as unknown as Delivery[];
  }
  const at = (f: FakeReceiver, path: string) => f.requests.filter((r) => r.path === path);

  it("records no event for a team whose webhook receivers do not take it (none, disabled, or another type)", async () => {
    const { team: t, sloId } = await team();
    const patch = (reason: string) =>
      call(stack, "PATCH", `/api/v1/slos/${sloId}`, { description: reason, reason });
    expect((await patch("no receiver")).status).toBe(200);
    await receiver({
      team: t,
      name: "alerts only",
      kind: "webhook",
      url: `${hook.url}/a`,
      events: ["alert.firing"],
    });
    const off = await receiver({ team: t, name: "off", kind: "webhook", url: `${hook.url}/off` });
    expect((await call(stack, "PATCH", `/api/v1/receivers/${off.id}`, { enabled: false })).status).toBe(200);
    expect((await patch("only an alert receiver and a disabled one")).status).toBe(200);
    expect(await eventsOf(t)).toEqual([]);
    await receiver({
      team: t,
      name: "slo changes",
      kind: "webhook",
      url: `${hook.url}/s`,
      events: ["slo.changed"],
    });
    expect((await patch("now a receiver takes it")).status).toBe(200);
    expect((await eventsOf(t)).map((e) => e.type)).toEqual(["slo.changed"]);
  });

  it("a receiver's events are checked: an unknown type, or a webhook-only type on another kind, is a 400 naming 'events'", async () => {
    const { team: t } = await team();
    const bad = await call(stack, "POST", "/api/v1/receivers", {
      team: t,
      name: "bad",
      kind: "webhook",
      url: `${hook.url}/x`,
      events: ["slo.exploded"],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("events");
    const pd = await call(stack, "POST", "/api/v1/receivers", {
      team: t,
      name: "pd",
      kind: "pagerduty",
      secret: "R0UTINGKEY1234abcd",
      events: ["alert.firing", "slo.changed"],
    });
    expect(pd.status).toBe(400);
    expect(JSON.stringify(pd.body)).toContain("events");
    expect(JSON.stringify(pd.body)).toContain("slo.changed");
    const okPd = await receiver({
      team: t,
      name: "pd ok",
      kind: "pagerduty",
      secret: "R0UTINGKEY1234abcd",
      events: ["alert.firing", "alert.resolved"],
    });
    expect(okPd.events).toEqual(["alert.firing", "alert.resolved"]);
    const patchBad = await call(stack, "PATCH", `/api/v1/receivers/${okPd.id}`, {
      events: ["policy.enacted"],
    });
    expect(patchBad.status).toBe(400);
    expect(JSON.stringify(patchBad.body)).toContain("events");
    const notList = await call(stack, "PATCH", `/api/v1/receivers/${okPd.id}`, { events: "slo.changed" });
    expect(notList.status).toBe(400);
    expect(JSON.stringify(notList.body)).toContain("events");
    // Default: all of them (an empty list).
    const all = await receiver({ team: t, name: "all", kind: "webhook", url: `${hook.url}/all` });
    expect(all.events).toEqual([]);
    const patched = await call(stack, "PATCH", `/api/v1/receivers/${all.id}`, { events: ["slo.changed"] });
    expect(patched.status).toBe(200);
    expect(patched.body!.events).toEqual(["slo.changed"]);
    const unknown = await call(
      stack,
      "GET",
      `/api/v1/receivers/00000000-0000-4000-8000-000000000000/deliveries`,
    );
    expect(unknown.status).toBe(404);
    const badLimit = await call(stack, "GET", `/api/v1/receivers/${all.id}/deliveries?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(JSON.stringify(badLimit.body)).toContain("limit");
  });

  it("an SLO created, updated and deleted through the API: each slo.changed reaches the webhook once, signed, with id, version, change and actor; a receiver that takes only alerts gets none", async () => {
    const { team: t, service } = await team();
    const wh = await receiver({ team: t, name: "hook", kind: "webhook", url: `${hook.url}/slo-${t}` });
    const alertsOnly = await receiver({
      team: t,
      name: "alerts only",
      kind: "webhook",
      url: `${other.url}/slo-${t}`,
      events: ["alert.firing", "alert.resolved"],
    });
    const created = await call(stack, "POST", "/api/v1/slos", {
      service,
      name: "Checkout latency",
      sli: { type: "availability" },
      objectivePercent: 99.5,
    });
    expect(created.status).toBe(201);
    const sloId = created.body!.id as string;
    const patched = await call(stack, "PATCH", `/api/v1/slos/${sloId}`, {
      objectivePercent: 99.9,
      reason: "the checkout team agreed on three nines",
    });
    expect(patched.status).toBe(200);
    const deleted = await call(
      stack,
      "DELETE",
      `/api/v1/slos/${sloId}?reason=replaced%20by%20a%20journey%20SLO`,
    );
    expect(deleted.status).toBe(204);
    const events = (await eventsOf(t)).filter((e) => (e.payload as { id: string }).id === sloId);
    expect(events.map((e) => e.type)).toEqual(["slo.changed", "slo.changed", "slo.changed"]);
    // Each event's job twice (a retried job, a job the sweep added again): every event is sent once.
    const job = eventJob();
    for (const e of events) {
      await job({ eventId: e.id });
      await job({ eventId: e.id });
    }
    const got = at(hook, `/slo-${t}`);
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.json.id)).size).toBe(3);
    expect(got.map((r) => r.json.id)).toEqual(events.map((e) => e.id));
    for (const r of got) {
      expect(r.headers["burnrate-event-id"]).toBe(r.json.id);
      expect(verifyBurnrate(r.body, String(r.headers["burnrate-signature"]), wh.signingSecret!)).toBe(true);
      expect(verifyBurnrate(r.body, String(r.headers["burnrate-signature"]), "whsec_wrong")).toBe(false);
      expect(r.json.type).toBe("slo.changed");
    }
    expect(got.map((r) => r.json.slo)).toEqual([
      expect.objectContaining({
        id: sloId,
        version: 1,
        change: "created",
        actor: expect.any(String),
        team: t,
        service,
      }),
      expect.objectContaining({
        id: sloId,
        version: 2,
        change: "updated",
        reason: "the checkout team agreed on three nines",
        objectivePercent: 99.9,
      }),
      expect.objectContaining({
        id: sloId,
        version: 2,
        change: "deleted",
        reason: "replaced by a journey SLO",
      }),
    ]);
    expect(got[0]!.json.slo.actor).not.toBe("anonymous");
    expect(at(other, `/slo-${t}`)).toHaveLength(0);
    // The delivery log: newest first, one row per event, each sent with one call.
    const log1 = await deliveries(wh.id);
    expect(log1).toHaveLength(3);
    expect(log1.map((d) => d.eventId)).toEqual(events.map((e) => e.id).reverse());
    for (const d of log1)
      expect(d).toMatchObject({
        type: "slo.changed",
        status: "sent",
        attempts: 1,
        lastStatus: 202,
        error: null,
      });
    for (const d of log1) expect(Date.parse(d.deliveredAt!)).toBeGreaterThan(0);
    expect(await deliveries(alertsOnly.id)).toEqual([]);
  });

  it("a manual condition enacted and closed through the API: a policy.enacted event each, enacted then ended, naming who did it", async () => {
    const { team: t } = await team();
    const wh = await receiver({
      team: t,
      name: "policy hook",
      kind: "webhook",
      url: `${hook.url}/policy-${t}`,
      events: ["policy.enacted"],
    });
    const today = new Date().toISOString().slice(0, 10);
    const put = await call(stack, "PUT", `/api/v1/teams/${t}/policy`, {
      scope: "everything",
      purpose: "budget",
      conditions: [
        {
          id: "postmortem-freeze",
          type: "manual",
          text: "a P1 outage's postmortem is not done",
          consequences: [{ type: "release_freeze" }],
        },
      ],
      escalation: "head of engineering",
      agreedBy: [
        { name: "D", role: "developer", date: today },
        { name: "O", role: "operations", date: today },
        { name: "P", role: "product_owner", date: today },
      ],
      nextReviewAt: "2099-01-01",
      reason: "test",
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const enact = await call(stack, "POST", `/api/v1/teams/${t}/policy/enactments`, {
      conditionId: "postmortem-freeze",
      reason: "the checkout outage's postmortem is late",
    });
    expect(enact.status, JSON.stringify(enact.body)).toBe(201);
    const close = await call(stack, "POST", `/api/v1/teams/${t}/policy/enactments/${enact.body!.id}/close`, {
      reason: "postmortem published",
    });
    expect(close.status, JSON.stringify(close.body)).toBe(200);
    const events = await eventsOf(t);
    const policyEvents = events.filter((e) => e.type === "policy.enacted");
    expect(policyEvents).toHaveLength(2);
    for (const e of events) await eventJob()({ eventId: e.id });
    const got = at(hook, `/policy-${t}`);
    expect(got.map((r) => r.json.type)).toEqual(["policy.enacted", "policy.enacted"]);
    expect(got.map((r) => r.json.id)).toEqual(policyEvents.map((e) => e.id));
    expect(got[0]!.json.policy).toMatchObject({
      enactmentId: enact.body!.id,
      state: "enacted",
      team: t,
      condition: "postmortem-freeze",
      manual: true,
      consequences: ["release_freeze"],
      slo: null,
      reason: "the checkout outage's postmortem is late",
      closedAt: null,
    });
    expect(got[0]!.json.policy.openedBy).not.toBe("anonymous");
    expect(got[1]!.json.policy).toMatchObject({
      enactmentId: enact.body!.id,
      state: "ended",
      reason: "the checkout outage's postmortem is late / closed: postmortem published",
      closedAt: expect.any(String),
    });
    for (const r of got)
      expect(verifyBurnrate(r.body, String(r.headers["burnrate-signature"]), wh.signingSecret!)).toBe(true);
  });

  it("a 500 and a timeout are retried with backoff; a 400 fails the delivery at once; the log shows attempts, status and error", async () => {
    const { team: t, service } = await team();
    const wh = await receiver({ team: t, name: "flaky", kind: "webhook", url: `${hook.url}/flaky-${t}` });
    const path = `/flaky-${t}`;
    let n = 0;
    hook.answer = (r: ReceivedRequest) => {
      if (r.path !== path) return { status: 202 };
      n++;
      if (n === 1) return { status: 500 };
      if (n === 2) return { status: 202, delayMs: 1500 }; // past the timeout
      return { status: 200 };
    };
    try {
      const s = await call(stack, "POST", "/api/v1/slos", {
        service,
        name: "Flaky SLO",
        sli: { type: "availability" },
        objectivePercent: 99,
      });
      expect(s.status).toBe(201);
      const [ev] = (await eventsOf(t)).filter((e) => (e.payload as { id: string }).id === s.body!.id);
      const t0 = Date.now();
      const r = await createWebhookEventDeliverJob({ ...deps(), timeoutMs: 500 })({ eventId: ev!.id });
      expect(r).toMatchObject({ results: { [wh.id]: "sent" } });
      // Backoff: 10 ms, then 20 ms between the tries (retryBaseMs 10, doubling), after a 500 ms timeout.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(500 + 10 + 20);
      const [d] = await deliveries(wh.id);
      expect(d).toMatchObject({ status: "sent", attempts: 3, lastStatus: 200, error: null });
      // The same event id on every try.
      const tries = at(hook, path);
      expect(tries).toHaveLength(3);
      expect(new Set(tries.map((x) => x.json.id))).toEqual(new Set([ev!.id]));

      // A 400: failed for good, not retried by this job nor a later one.
      hook.answer = (req) => (req.path === path ? { status: 400 } : { status: 202 });
      const del = await call(stack, "DELETE", `/api/v1/slos/${s.body!.id}`);
      expect(del.status).toBe(204);
      const gone = (await eventsOf(t)).find((e) => (e.payload as { change: string }).change === "deleted")!;
      await eventJob()({ eventId: gone.id });
      await eventJob()({ eventId: gone.id });
      const [failed] = await deliveries(wh.id);
      expect(failed).toMatchObject({ eventId: gone.id, status: "failed", attempts: 1, lastStatus: 400 });
      expect(failed!.error).toContain("HTTP 400");
      expect(failed!.deliveredAt).toBeNull();
      expect(at(hook, path)).toHaveLength(4);

      // A receiver that keeps failing: a 503 each time until its calls run out (maxAttempts), then failed.
      hook.answer = (req) => (req.path === path ? { status: 503 } : { status: 202 });
      const s2 = await call(stack, "POST", "/api/v1/slos", {
        service,
        name: "Down SLO",
        sli: { type: "availability" },
        objectivePercent: 99,
      });
      const ev2 = (await eventsOf(t)).find((e) => (e.payload as { id: string }).id === s2.body!.id)!;
      await expect(eventJob({ tries: 2, maxAttempts: 3 })({ eventId: ev2.id })).rejects.toThrow(/503/);
      await eventJob({ tries: 2, maxAttempts: 3 })({ eventId: ev2.id });
      const [down] = await deliveries(wh.id);
      expect(down).toMatchObject({ eventId: ev2.id, status: "failed", attempts: 3, lastStatus: 503 });
      expect(down!.error).toContain("gave up after 3 calls");
    } finally {
      hook.answer = () => ({ status: 202 });
    }
  });

  it("alert events honour the receiver's events: a receiver without alert.firing gets the resolve without waiting for a trigger", async () => {
    const { team: t, sloId } = await team();
    const resolvesOnly = await receiver({
      team: t,
      name: "resolves",
      kind: "webhook",
      url: `${hook.url}/resolves-${t}`,
      events: ["alert.resolved"],
    });
    const all = await receiver({ team: t, name: "all", kind: "webhook", url: `${other.url}/all-${t}` });
    const firedAt = new Date();
    const a = await stack.db.alert.create({
      data: {
        sloId,
        regionKey: "prod-eu",
        kind: "burn_rate",
        state: "firing",
        severity: "page",
        tiers: [],
        firedAt,
        events: { create: { kind: "fired", at: firedAt, detail: { severity: "page" } } },
      },
      include: { events: true },
    });
    const job = createReceiverDeliverJob(deps());
    await job({ alertId: a.id, eventId: a.events[0]!.id, eventKind: "fired" });
    const now = new Date();
    await stack.db.alert.update({ where: { id: a.id }, data: { state: "resolved", resolvedAt: now } });
    const resolved = await stack.db.alertEvent.create({ data: { alertId: a.id, kind: "resolved", at: now } });
    await job({ alertId: a.id, eventId: resolved.id, eventKind: "resolved" });
    expect(at(hook, `/resolves-${t}`).map((r) => r.json.type)).toEqual(["alert.resolved"]);
    expect(at(other, `/all-${t}`).map((r) => r.json.type)).toEqual(["alert.firing", "alert.resolved"]);
    const log1 = await deliveries(all.id);
    expect(log1.map((d) => [d.type, d.alertId, d.status, d.lastStatus])).toEqual([
      ["alert.resolved", a.id, "sent", 202],
      ["alert.firing", a.id, "sent", 202],
    ]);
    expect((await deliveries(resolvesOnly.id)).map((d) => d.type)).toEqual(["alert.resolved"]);
  });

  it("the receiver sweep adds again a webhook event whose delivery never finished (its job lost), and only that one", async () => {
    const { team: t, service } = await team();
    const wh = await receiver({ team: t, name: "hook", kind: "webhook", url: `${hook.url}/sweep-${t}` });
    const s = await call(stack, "POST", "/api/v1/slos", {
      service,
      name: "Swept SLO",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    expect(s.status).toBe(201);
    const ev = (await eventsOf(t)).find((e) => (e.payload as { id: string }).id === s.body!.id)!;
    const added: { name: string; payload: { eventId?: string } }[] = [];
    const sweep = createReceiverSweepJob({
      ...deps(),
      graceMs: 0,
      enqueue: (async (name: string, payload: { eventId?: string }) => {
        added.push({ name, payload });
      }) as never,
    });
    await new Promise((r) => setTimeout(r, 20));
    await sweep();
    expect(added.filter((a) => a.payload.eventId === ev.id).map((a) => a.name)).toEqual([
      "receiver.deliver-event",
    ]);
    // Delivered: the next sweep adds it no more.
    await eventJob()({ eventId: ev.id });
    added.length = 0;
    await sweep();
    expect(added.filter((a) => a.payload.eventId === ev.id)).toEqual([]);
    expect(at(hook, `/sweep-${t}`)).toHaveLength(1);
    expect((await deliveries(wh.id))[0]).toMatchObject({ status: "sent", attempts: 1 });
  });
});

/**
 * policy.enacted end to end: the real worker evaluates the team's error budget policy on ingested traffic, the
 * condition comes into force and then ends, and the webhook gets each once.
 */
describe("webhook events: policy.enacted from the policy job", () => {
  let stack: Stack;
  const hook = new FakeReceiver();

  beforeAll(async () => {
    await hook.start();
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => {
    await hook.stop();
    await stack?.stop();
  });

  it("a condition enacted and then ended (a signature withdrawn) reaches the webhook once each, signed, with the SLO, region and condition", async () => {
    await call(stack, "POST", "/api/v1/teams", {
      slug: "search",
      name: "Search",
      slackChannel: "#search-slo",
    });
    await call(stack, "POST", "/api/v1/services", { slug: "finder", name: "Finder", team: "search" });
    const wh = (
      await call(stack, "POST", "/api/v1/receivers", {
        team: "search",
        name: "events",
        kind: "webhook",
        url: `${hook.url}/events`,
        events: ["policy.enacted", "slo.changed"],
      })
    ).body as { id: string; signingSecret: string };
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "finder",
      name: "Finder availability",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    expect(slo.status).toBe(201);
    const today = new Date().toISOString().slice(0, 10);
    const policy = (agreedBy: object[]) => ({
      scope: "finder",
      purpose: "budget",
      conditions: [{ id: "exhausted", type: "exhausted", consequences: [{ type: "notify" }] }],
      escalation: "head of engineering",
      agreedBy,
      nextReviewAt: "2099-01-01",
      reason: "test",
    });
    const signatures = [
      { name: "D", role: "developer", date: today },
      { name: "O", role: "operations", date: today },
      { name: "P", role: "product_owner", date: today },
    ];
    expect((await call(stack, "PUT", "/api/v1/teams/search/policy", policy(signatures))).status).toBe(200);
    const now = Date.now();
    const recs = Array.from({ length: 200 }, (_, i) => ({
      ts: now - 120_000 + i * 100,
      service: "finder",
      method: "GET",
      route: "/q",
      region: "prod-eu",
      status: i % 10 === 0 ? 503 : 200,
      durationMs: 9,
    }));
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(recs),
    });
    expect(JSON.parse(r.body).accepted).toBe(200);
    const policyEvents = () => hook.requests.filter((x) => x.json?.type === "policy.enacted");
    const [enacted] = await waitFor("the policy.enacted event", async () => {
      const got = policyEvents();
      return got.length >= 1 ? got : null;
    });
    expect(enacted!.json.policy).toMatchObject({
      state: "enacted",
      team: "search",
      condition: "exhausted",
      consequences: ["notify"],
      slo: { id: slo.body!.id, name: "Finder availability" },
      service: "finder",
      region: "prod-eu",
      closedAt: null,
    });
    expect(
      verifyBurnrate(enacted!.body, String(enacted!.headers["burnrate-signature"]), wh.signingSecret),
    ).toBe(true);
    // A signature withdrawn: the policy is no longer in force, its enactment ends.
    expect(
      (await call(stack, "PUT", "/api/v1/teams/search/policy", policy(signatures.slice(0, 2)))).status,
    ).toBe(200);
    const ended = await waitFor("the ended event", async () =>
      policyEvents().find((x) => x.json.policy.state === "ended"),
    );
    expect(ended.json.policy).toMatchObject({
      enactmentId: enacted!.json.policy.enactmentId,
      state: "ended",
      reason: "the policy is not in force (a signature is missing)",
      closedBy: "burnrate",
      slo: { id: slo.body!.id, name: "Finder availability" },
      service: "finder",
      region: "prod-eu",
      condition: "exhausted",
    });
    // More policy passes send neither again.
    const runs = await stack.db.evaluationRun.count();
    await waitFor(
      "three more cycles",
      async () => (await stack.db.evaluationRun.count()) >= runs + 3,
      30_000,
    );
    await new Promise((res) => setTimeout(res, 3000));
    expect(policyEvents().map((x) => x.json.policy.state)).toEqual(["enacted", "ended"]);
    expect(new Set(hook.requests.map((x) => x.json.id)).size).toBe(hook.requests.length);
    // The SLO's creation came too (the receiver takes slo.changed), and no alert event (it does not take those).
    expect(hook.requests.filter((x) => x.json.type === "slo.changed")).toHaveLength(1);
    expect(hook.requests.filter((x) => String(x.json.type).startsWith("alert."))).toHaveLength(0);
    const log1 = (await call(stack, "GET", `/api/v1/receivers/${wh.id}/deliveries`))
      .body as unknown as Delivery[];
    expect(log1.map((d) => [d.type, d.status])).toEqual([
      ["policy.enacted", "sent"],
      ["policy.enacted", "sent"],
      ["slo.changed", "sent"],
    ]);
  }, 120_000);
});
