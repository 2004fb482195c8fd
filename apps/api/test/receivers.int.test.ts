import { createHmac, timingSafeEqual } from "node:crypto";
import { createReceiverDeliverJob, createReceiverSweepJob } from "@burnrate/worker/receivers";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAlertmanager, type AlertmanagerServer } from "./alertmanager";
import { setupSlo } from "./alerting-helpers";
import { createSecretBox, sealPlaintextSecrets } from "@burnrate/db";
import { TEST_SECRET_KEY, call, startStack, waitFor, type Stack } from "./harness";
import { FakeReceiver } from "./receiver-fakes";

/** The signature recipe of the README, as a receiver would write it. */
function verifyBurnrate(rawBody: string, header: string, secret: string, toleranceSec = 300): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=") as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > toleranceSec) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === 32 && timingSafeEqual(given, Buffer.from(expected, "hex"));
}

/**
 * Receivers on a real database, delivered by the receiver job called directly (the worker's handler), to a
 * real Alertmanager and to local fakes of PagerDuty, Opsgenie and a webhook receiver.
 */
describe("alert receivers", () => {
  let stack: Stack;
  let am: AlertmanagerServer;
  const pd = new FakeReceiver();
  const og = new FakeReceiver();
  const hook = new FakeReceiver();
  let seq = 0;
  const log = pino({ level: "silent" });
  const job = (
    o: {
      timeoutMs?: number;
      tries?: number;
      maxAttempts?: number;
      enqueue?: never;
      secrets?: ReturnType<typeof createSecretBox>;
    } = {},
  ) =>
    createReceiverDeliverJob({
      db: stack.db,
      publicUrl: "http://burnrate.test",
      now: Date.now,
      log,
      retryBaseMs: 10,
      secrets: createSecretBox(TEST_SECRET_KEY),
      ...o,
    });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    am = await startAlertmanager();
    await Promise.all([pd.start(), og.start(), hook.start()]);
  });
  afterAll(async () => {
    await Promise.all([pd.stop(), og.stop(), hook.stop()]);
    await am?.stop();
    await stack?.stop();
  });

  async function team(): Promise<{ team: string; sloId: string }> {
    const n = ++seq;
    const sloId = await setupSlo(stack, {
      team: `recv${n}`,
      service: `recv-svc-${n}`,
      runbookUrl: "https://runbooks.test/cart",
    });
    return { team: `recv${n}`, sloId };
  }
  async function receiver(body: object) {
    const r = await call(stack, "POST", "/api/v1/receivers", body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; signingSecret?: string; secretHint: string | null };
  }
  async function fire(sloId: string, severity = "page") {
    const at = new Date();
    const a = await stack.db.alert.create({
      data: {
        sloId,
        regionKey: "prod-eu",
        kind: "burn_rate",
        state: "firing",
        severity,
        tiers: [],
        firedAt: at,
        events: { create: { kind: "fired", at, detail: { severity } } },
      },
      include: { events: true },
    });
    return { alertId: a.id, eventId: a.events[0]!.id };
  }
  async function event(alertId: string, kind: "acknowledged" | "resolved") {
    const now = new Date();
    await stack.db.alert.update({
      where: { id: alertId },
      data:
        kind === "resolved"
          ? { state: "resolved", resolvedAt: now }
          : { state: "acknowledged", acknowledgedAt: now, acknowledgedBy: "ana@example.com" },
    });
    const ev = await stack.db.alertEvent.create({ data: { alertId, kind, at: now } });
    return { alertId, eventId: ev.id, eventKind: kind };
  }

  it("manages receivers per team: secrets are write-only (a hint), a webhook's secret is shown once; bad input names the field", async () => {
    const { team: t } = await team();
    const created = await receiver({ team: t, name: "pd", kind: "pagerduty", secret: "R0UTINGKEY1234abcd" });
    expect(created.secretHint).toBe("…abcd");
    expect(JSON.stringify(created)).not.toContain("R0UTINGKEY1234abcd");
    const wh = await receiver({ team: t, name: "hook", kind: "webhook", url: "http://127.0.0.1:9/x" });
    expect(wh.signingSecret).toMatch(/^whsec_/);
    const list = await call(stack, "GET", `/api/v1/receivers?team=${t}`);
    expect(list.status).toBe(200);
    expect((list.body as unknown as { name: string }[]).map((r) => r.name)).toEqual(["pd", "hook"]);
    expect(JSON.stringify(list.body)).not.toContain("R0UTINGKEY1234abcd");
    expect(JSON.stringify(list.body)).not.toContain(wh.signingSecret!);
    const one = await call(stack, "GET", `/api/v1/receivers/${wh.id}`);
    expect(one.body).not.toHaveProperty("signingSecret");
    const audit = await stack.db.auditLog.findMany({ where: { entity: "receiver" } });
    expect(JSON.stringify(audit)).not.toContain("R0UTINGKEY1234abcd");
    expect(JSON.stringify(audit)).not.toContain(wh.signingSecret!);

    const bad = [
      [{ team: t, name: "x", kind: "alertmanager" }, "url"],
      [{ team: t, name: "x", kind: "pagerduty" }, "secret"],
      [{ team: t, name: "x", kind: "webhook", url: "ftp://x" }, "url"],
      [{ team: t, name: "x", kind: "sms", url: "http://x" }, "kind"],
      [{ team: t, name: "x", kind: "webhook", url: "http://x", severities: ["urgent"] }, "severities"],
      [{ team: "nope", name: "x", kind: "webhook", url: "http://x" }, "team"],
    ] as const;
    for (const [body, field] of bad) {
      const r = await call(stack, "POST", "/api/v1/receivers", body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    expect(
      (
        await call(stack, "POST", "/api/v1/receivers", {
          team: t,
          name: "pd",
          kind: "pagerduty",
          secret: "abcd1",
        })
      ).status,
    ).toBe(409);
    expect((await call(stack, "DELETE", `/api/v1/receivers/${wh.id}`)).status).toBe(200);
    expect((await call(stack, "GET", `/api/v1/receivers/${wh.id}`)).status).toBe(404);
    expect((await call(stack, "GET", `/api/v1/receivers/not-an-id`)).status).toBe(404);
  });

  it("the real Alertmanager gets the alert with its labels, and ends it when Burnrate resolves it", async () => {
    const { team: t, sloId } = await team();
    await receiver({ team: t, name: "am", kind: "alertmanager", url: am.url });
    const fired = await fire(sloId);
    await job()({ ...fired, eventKind: "fired" });
    const labels = {
      alert_id: fired.alertId,
      team: t,
      service: `recv-svc-${seq}`,
      region: "prod-eu",
      severity: "page",
    };
    const active = await waitFor(
      "the alert at Alertmanager",
      async () => {
        const all = await am.alerts();
        return all.find((a) => a.labels.alert_id === fired.alertId && a.status.state === "active");
      },
      20_000,
    );
    expect(active.labels).toMatchObject({
      ...labels,
      slo: `recv-svc-${seq} availability`,
      alertname: "BurnrateSLOBurn",
    });
    expect(active.annotations.summary).toContain("burning its error budget");
    expect(active.annotations.runbook).toBe("https://runbooks.test/cart");
    expect(active.annotations.url).toContain(`/slos/${sloId}`);
    expect(Date.parse(active.endsAt)).toBeGreaterThan(Date.now());

    // The receiver sweep posts it again while it fires (before resolve_timeout): same alert, still one.
    const sweep = createReceiverSweepJob({
      db: stack.db,
      publicUrl: "http://burnrate.test",
      now: () => Date.now() + 120_000,
      log,
      enqueue: async () => undefined,
    });
    expect((await sweep()).resent).toBe(1);
    expect((await am.alerts()).filter((a) => a.labels.alert_id === fired.alertId)).toHaveLength(1);

    const resolved = await event(fired.alertId, "resolved");
    await job()(resolved);
    await waitFor(
      "the alert resolved at Alertmanager",
      async () => {
        const all = await am.alerts();
        const a = all.find((x) => x.labels.alert_id === fired.alertId);
        return !a || (a.status.state !== "active" && Date.parse(a.endsAt) <= Date.now());
      },
      20_000,
    );
    // A resolved alert is never posted again.
    expect((await sweep()).resent).toBe(0);
  });

  it("PagerDuty, Opsgenie and a signed webhook: one trigger, one ack and one resolve per alert, with idempotency keys", async () => {
    const { team: t, sloId } = await team();
    pd.requests = [];
    og.requests = [];
    hook.requests = [];
    await receiver({
      team: t,
      name: "pd",
      kind: "pagerduty",
      url: `${pd.url}/v2/enqueue`,
      secret: "pd-routing-key-1",
    });
    await receiver({ team: t, name: "og", kind: "opsgenie", url: og.url, secret: "og-api-key-1" });
    const wh = await receiver({ team: t, name: "hook", kind: "webhook", url: `${hook.url}/burnrate` });
    const fired = await fire(sloId);
    await job()({ ...fired, eventKind: "fired" });
    // The same event again (a retried job, a sweep): nothing more is sent.
    await job()({ ...fired, eventKind: "fired" });
    await job()(await event(fired.alertId, "acknowledged"));
    const resolved = await event(fired.alertId, "resolved");
    await job()(resolved);
    await job()(resolved);

    expect(pd.requests.map((r) => r.json.event_action)).toEqual(["trigger", "acknowledge", "resolve"]);
    for (const r of pd.requests) {
      expect(r.json.dedup_key).toBe(fired.alertId);
      expect(r.json.routing_key).toBe("pd-routing-key-1");
    }
    expect(pd.requests[0]!.json.payload).toMatchObject({
      severity: "critical",
      source: `recv-svc-${seq}`,
      group: t,
    });

    expect(og.requests.map((r) => r.path)).toEqual([
      "/v2/alerts",
      `/v2/alerts/${fired.alertId}/acknowledge?identifierType=alias`,
      `/v2/alerts/${fired.alertId}/close?identifierType=alias`,
    ]);
    expect(og.requests[0]!.json).toMatchObject({ alias: fired.alertId, priority: "P1" });
    for (const r of og.requests) expect(r.headers.authorization).toBe("GenieKey og-api-key-1");

    expect(hook.requests.map((r) => r.json.type)).toEqual([
      "alert.firing",
      "alert.acknowledged",
      "alert.resolved",
    ]);
    const events = await stack.db.alertEvent.findMany({
      where: { alertId: fired.alertId },
      orderBy: { at: "asc" },
    });
    expect(hook.requests.map((r) => r.json.id)).toEqual(events.map((e) => e.id));
    for (const r of hook.requests) {
      expect(r.json.alert).toMatchObject({ id: fired.alertId, team: t, severity: "page", region: "prod-eu" });
      expect(r.headers["burnrate-event-id"]).toBe(r.json.id);
      expect(verifyBurnrate(r.body, String(r.headers["burnrate-signature"]), wh.signingSecret!)).toBe(true);
      // Another secret, or a body changed by one byte, does not verify.
      expect(verifyBurnrate(r.body, String(r.headers["burnrate-signature"]), "whsec_other")).toBe(false);
      expect(verifyBurnrate(`${r.body} `, String(r.headers["burnrate-signature"]), wh.signingSecret!)).toBe(
        false,
      );
    }
    const rows = await stack.db.receiverDelivery.findMany({ where: { alertId: fired.alertId } });
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
  });

  it("a receiver per severity: pages and tickets go to their own receivers", async () => {
    const { team: t, sloId } = await team();
    pd.requests = [];
    hook.requests = [];
    await receiver({
      team: t,
      name: "pages",
      kind: "pagerduty",
      url: pd.url,
      secret: "pd-pages",
      severities: ["page"],
    });
    await receiver({ team: t, name: "tickets", kind: "webhook", url: hook.url, severities: ["ticket"] });
    const ticket = await fire(sloId, "ticket");
    await job()({ ...ticket, eventKind: "fired" });
    expect(pd.requests).toHaveLength(0);
    expect(hook.requests.map((r) => r.json.alert.severity)).toEqual(["ticket"]);
    await job()(await event(ticket.alertId, "resolved"));
    const page = await fire(sloId, "page");
    await job()({ ...page, eventKind: "fired" });
    expect(pd.requests.map((r) => [r.json.routing_key, r.json.payload.severity])).toEqual([
      ["pd-pages", "critical"],
    ]);
    expect(hook.requests).toHaveLength(2);
  });

  it("a 500 and a timeout are retried; a 400 is recorded on the alert's timeline and not retried", async () => {
    const { team: t, sloId } = await team();
    pd.requests = [];
    hook.requests = [];
    og.requests = [];
    await receiver({ team: t, name: "pd", kind: "pagerduty", url: pd.url, secret: "pd-flaky" });
    await receiver({ team: t, name: "hook", kind: "webhook", url: hook.url });
    await receiver({ team: t, name: "og", kind: "opsgenie", url: og.url, secret: "og-bad" });
    pd.answer = (_r, n) => ({ status: n <= 2 ? 500 : 202 });
    hook.answer = (_r, n) => (n === 1 ? { status: 202, delayMs: 1500 } : { status: 200 });
    og.answer = () => ({ status: 400 });
    try {
      const fired = await fire(sloId);
      await job({ timeoutMs: 500 })({ ...fired, eventKind: "fired" });
      expect(pd.requests.map((r) => r.json.event_action)).toEqual(["trigger", "trigger", "trigger"]);
      expect(hook.requests).toHaveLength(2);
      expect(hook.requests[0]!.json.id).toBe(hook.requests[1]!.json.id);
      expect(og.requests).toHaveLength(1);
      const rows = await stack.db.receiverDelivery.findMany({
        where: { alertId: fired.alertId },
        include: { receiver: true },
      });
      const by = Object.fromEntries(rows.map((r) => [r.receiver.name, r]));
      expect(by.pd).toMatchObject({ status: "sent", attempts: 3 });
      expect(by.hook).toMatchObject({ status: "sent", attempts: 2 });
      expect(by.og).toMatchObject({ status: "failed", attempts: 1 });
      expect(by.og!.error).toContain("HTTP 400");
      const timeline = await stack.db.alertEvent.findMany({
        where: { alertId: fired.alertId, kind: "receiver_failed" },
      });
      expect(timeline).toHaveLength(1);
      expect(timeline[0]!.detail).toMatchObject({
        receiver: "og",
        receiverKind: "opsgenie",
        type: "alert.firing",
      });
      // Run again: the refused delivery is not retried.
      await job()({ ...fired, eventKind: "fired" });
      expect(og.requests).toHaveLength(1);
      const alert = await call(stack, "GET", `/api/v1/alerts/${fired.alertId}`);
      expect(alert.status).toBe(200);
    } finally {
      pd.answer = () => ({ status: 202 });
      hook.answer = () => ({ status: 202 });
      og.answer = () => ({ status: 202 });
    }
  });

  it("the receiver sweep re-enqueues an event whose receiver delivery never finished", async () => {
    const { team: t, sloId } = await team();
    await receiver({ team: t, name: "hook", kind: "webhook", url: hook.url });
    const fired = await fire(sloId);
    const enqueued: unknown[] = [];
    const sweep = createReceiverSweepJob({
      db: stack.db,
      publicUrl: "http://burnrate.test",
      now: () => Date.now() + 60_000,
      log,
      enqueue: (async (name: string, p: unknown) => void enqueued.push([name, p])) as never,
    });
    await sweep();
    expect(enqueued).toContainEqual([
      "receiver.deliver",
      { alertId: fired.alertId, eventKind: "fired", eventId: fired.eventId },
    ]);
    await job()({ ...fired, eventKind: "fired" });
    enqueued.length = 0;
    await sweep();
    expect(
      enqueued.filter((e) => (e as [string, { alertId: string }])[1].alertId === fired.alertId),
    ).toHaveLength(0);
  });

  it("PATCH renames, re-points, re-keys and disables a receiver; the secret stays write-only; bad input names the field", async () => {
    const { team: t, sloId } = await team();
    const pdr = await receiver({
      team: t,
      name: "pd",
      kind: "pagerduty",
      url: pd.url,
      secret: "pd-old-key-1111",
    });
    const wh = await receiver({
      team: t,
      name: "hook",
      kind: "webhook",
      url: hook.url,
      severities: ["ticket"],
    });
    await receiver({
      team: t,
      name: "taken",
      kind: "pagerduty",
      url: pd.url,
      secret: "pd-taken-key",
      severities: ["ticket"],
    });
    const patch = (id: string, body: object) => call(stack, "PATCH", `/api/v1/receivers/${id}`, body);

    const renamed = await patch(pdr.id, {
      name: "pd pages",
      secret: "pd-new-key-2222",
      severities: ["page"],
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({
      name: "pd pages",
      secretHint: "…2222",
      severities: ["page"],
      enabled: true,
    });
    expect(JSON.stringify(renamed.body)).not.toContain("pd-new-key-2222");
    const audit = await stack.db.auditLog.findMany({ where: { entityId: pdr.id } });
    expect(JSON.stringify(audit)).not.toContain("pd-new-key-2222");
    expect(JSON.stringify(audit)).not.toContain("pd-old-key-1111");

    // The new key is the one sent.
    pd.requests = [];
    const first = await fire(sloId);
    await job()({ ...first, eventKind: "fired" });
    expect(pd.requests.map((r) => r.json.routing_key)).toEqual(["pd-new-key-2222"]);

    // Disabled: sent nothing, and the sweep does not look for it.
    expect((await patch(pdr.id, { enabled: false })).body).toMatchObject({ enabled: false });
    pd.requests = [];
    const second = await fire(sloId);
    await job()({ ...second, eventKind: "fired" });
    expect(pd.requests).toHaveLength(0);
    expect(
      await stack.db.receiverDelivery.count({ where: { alertId: second.alertId, receiverId: pdr.id } }),
    ).toBe(0);

    const bad: [string, object, number, string][] = [
      [pdr.id, {}, 400, "name"],
      [pdr.id, { name: "taken" }, 409, "taken"],
      [pdr.id, { url: "ftp://x" }, 400, "url"],
      [pdr.id, { severities: ["never"] }, 400, "severities"],
      [pdr.id, { kind: "webhook" }, 400, "kind"],
      [wh.id, { url: null }, 400, "url"],
      [wh.id, { secret: "mine-1234" }, 400, "secret"],
      ["00000000-0000-4000-8000-000000000000", { name: "x" }, 404, "receiver"],
      ["not-an-id", { name: "x" }, 404, "receiver"],
    ];
    for (const [id, body, status, names] of bad) {
      const r = await patch(id, body);
      expect(r.status, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`).toBe(status);
      expect(JSON.stringify(r.body)).toContain(names);
    }
    // PagerDuty's URL back to the vendor's.
    expect((await patch(pdr.id, { url: null })).body).toMatchObject({ url: null });
  });

  it("a permanent failure of a page's trigger (a 400, or calls ran out) moves its escalation to the next step at once", async () => {
    const { team: t, sloId } = await team();
    const teamRow = await stack.db.team.findUniqueOrThrow({ where: { slug: t } });
    const policy = await stack.db.escalationPolicy.create({
      data: {
        teamId: teamRow.id,
        name: `pages ${t}`,
        repeat: 0,
        steps: {
          create: [
            { ord: 0, target: { user: "ann@example.com" }, ackTimeoutSeconds: 600 },
            { ord: 1, target: { user: "ben@example.com" }, ackTimeoutSeconds: 600 },
          ],
        },
      },
    });
    await receiver({ team: t, name: "og", kind: "opsgenie", url: og.url, secret: "og-refuses" });
    const enqueued: [string, { alertId: string; pass: number; step: number; atMs: number }][] = [];
    const enqueue = (async (name: string, p: never) => void enqueued.push([name, p])) as never;
    // Step 1 (the first) was sent; step 2 is due in 10 minutes.
    const waiting = async (alertId: string) =>
      stack.db.alertEscalation.create({
        data: {
          alertId,
          policyId: policy.id,
          startedAt: new Date(),
          pass: 0,
          step: 1,
          nextAt: new Date(Date.now() + 600_000),
        },
      });
    try {
      og.answer = () => ({ status: 400 });
      const refused = await fire(sloId);
      await waiting(refused.alertId);
      const t0 = Date.now();
      await job({ enqueue })({ ...refused, eventKind: "fired" });
      const esc = await stack.db.alertEscalation.findUniqueOrThrow({ where: { alertId: refused.alertId } });
      expect(esc).toMatchObject({ pass: 0, step: 1 });
      expect(esc.nextAt!.getTime()).toBeGreaterThanOrEqual(t0);
      expect(esc.nextAt!.getTime()).toBeLessThanOrEqual(Date.now());
      expect(enqueued).toEqual([
        ["alert.escalate", { alertId: refused.alertId, pass: 0, step: 1, atMs: esc.nextAt!.getTime() }],
      ]);
      const timeline = await stack.db.alertEvent.findMany({
        where: { alertId: refused.alertId, kind: { in: ["receiver_failed", "escalation_advanced"] } },
        orderBy: { at: "asc" },
      });
      expect(timeline.map((e) => e.kind).sort()).toEqual(["escalation_advanced", "receiver_failed"]);
      expect(timeline.find((e) => e.kind === "escalation_advanced")!.detail).toMatchObject({
        reason: "receiver_failed",
        receiver: "og",
        step: 1,
      });
      // Run again: nothing more (the delivery is failed for good, the escalation moved once).
      await job({ enqueue })({ ...refused, eventKind: "fired" });
      expect(enqueued).toHaveLength(1);
      expect(og.requests.filter((r) => r.json?.alias === refused.alertId)).toHaveLength(1);

      // A 503 every time: the delivery gives up after its calls ran out, and escalates the same way.
      og.answer = () => ({ status: 503 });
      const flaky = await fire(sloId);
      await waiting(flaky.alertId);
      await expect(
        job({ tries: 2, maxAttempts: 3, enqueue })({ ...flaky, eventKind: "fired" }),
      ).rejects.toThrow("HTTP 503");
      expect(
        (
          await stack.db.alertEscalation.findUniqueOrThrow({ where: { alertId: flaky.alertId } })
        ).nextAt!.getTime(),
      ).toBeGreaterThan(Date.now() + 500_000);
      await job({ tries: 2, maxAttempts: 3, enqueue })({ ...flaky, eventKind: "fired" });
      const row = await stack.db.receiverDelivery.findFirstOrThrow({ where: { alertId: flaky.alertId } });
      expect(row).toMatchObject({ status: "failed", attempts: 3 });
      expect(row.error).toContain("gave up after 3 calls: HTTP 503");
      expect(og.requests.filter((r) => r.json?.alias === flaky.alertId)).toHaveLength(3);
      expect(
        (
          await stack.db.alertEscalation.findUniqueOrThrow({ where: { alertId: flaky.alertId } })
        ).nextAt!.getTime(),
      ).toBeLessThanOrEqual(Date.now());
      expect(enqueued.map(([, p]) => p.alertId)).toEqual([refused.alertId, flaky.alertId]);

      // A ticket's failed trigger notifies only: its escalation keeps its time.
      og.answer = () => ({ status: 400 });
      const ticket = await fire(sloId, "ticket");
      await waiting(ticket.alertId);
      await job({ enqueue })({ ...ticket, eventKind: "fired" });
      expect(
        (
          await stack.db.alertEscalation.findUniqueOrThrow({ where: { alertId: ticket.alertId } })
        ).nextAt!.getTime(),
      ).toBeGreaterThan(Date.now() + 500_000);
      expect(enqueued).toHaveLength(2);
    } finally {
      og.answer = () => ({ status: 202 });
    }
  });

  it("two runs of one delivery at once call the receiver once (a stalled job taken over while it still runs)", async () => {
    const { team: t, sloId } = await team();
    await receiver({ team: t, name: "pd", kind: "pagerduty", url: pd.url, secret: "pd-twice" });
    pd.requests = [];
    pd.answer = () => ({ status: 202, delayMs: 400 });
    try {
      const fired = await fire(sloId);
      await Promise.all([job()({ ...fired, eventKind: "fired" }), job()({ ...fired, eventKind: "fired" })]);
      expect(pd.requests.map((r) => r.json.event_action)).toEqual(["trigger"]);
    } finally {
      pd.answer = () => ({ status: 202 });
    }
  });

  it("secrets are encrypted at rest (AES-256-GCM); a secret stored in plain text is still sent, and sealed at start", async () => {
    const { team: t, sloId } = await team();
    const created = await receiver({
      team: t,
      name: "pd",
      kind: "pagerduty",
      url: pd.url,
      secret: "pd-at-rest-key-9",
    });
    const wh = await receiver({ team: t, name: "hook", kind: "webhook", url: hook.url });
    const stored = await stack.db.receiver.findMany({
      where: { team: { slug: t } },
      orderBy: { createdAt: "asc" },
    });
    for (const r of stored) {
      expect(r.secret).toMatch(/^enc:v2:[0-9a-f]{8}:/);
      expect(r.secret).not.toContain("pd-at-rest-key-9");
      expect(r.secret).not.toContain(wh.signingSecret!.slice(6));
    }
    // Sent with the secret itself; the webhook's signature checks with the secret shown at creation.
    pd.requests = [];
    hook.requests = [];
    const first = await fire(sloId);
    await job()({ ...first, eventKind: "fired" });
    expect(pd.requests.map((r) => r.json.routing_key)).toEqual(["pd-at-rest-key-9"]);
    const h = hook.requests[0]!;
    expect(verifyBurnrate(h.body, String(h.headers["burnrate-signature"]), wh.signingSecret!)).toBe(true);

    // A row written before a key was set: read as it is, then sealed by the start-up pass (once).
    await stack.db.receiver.update({ where: { id: created.id }, data: { secret: "pd-plain-legacy" } });
    pd.requests = [];
    const second = await fire(sloId);
    await job()({ ...second, eventKind: "fired" });
    expect(pd.requests.map((r) => r.json.routing_key)).toEqual(["pd-plain-legacy"]);
    const box = createSecretBox(TEST_SECRET_KEY);
    expect(await sealPlaintextSecrets(stack.db, box)).toBeGreaterThanOrEqual(1);
    expect(await sealPlaintextSecrets(stack.db, box)).toBe(0);
    const sealed = (await stack.db.receiver.findUniqueOrThrow({ where: { id: created.id } })).secret!;
    expect(sealed).toMatch(/^enc:v2:[0-9a-f]{8}:/);
    expect(box.open(sealed)).toBe("pd-plain-legacy");

    // Another key (or none) cannot open it: the delivery fails saying why, nothing is sent with a wrong key.
    pd.requests = [];
    const third = await fire(sloId);
    const other = createSecretBox(Buffer.alloc(32, 7).toString("hex"));
    await expect(job({ secrets: other })({ ...third, eventKind: "fired" })).rejects.toThrow(
      "BURNRATE_SECRET_KEY",
    );
    await expect(job({ secrets: createSecretBox(null) })({ ...third, eventKind: "fired" })).rejects.toThrow(
      "BURNRATE_SECRET_KEY is not set",
    );
    expect(pd.requests).toHaveLength(0);
    await job()({ ...third, eventKind: "fired" });
    expect(pd.requests.map((r) => r.json.routing_key)).toEqual(["pd-plain-legacy"]);
  });
});
