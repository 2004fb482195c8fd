import { fakeUserId } from "@burnrate/slack/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TWO_TIERS, ingest, setupSlo, traffic } from "./alerting-helpers";
import {
  TIMEOUTS,
  TOLERANCE_MS,
  addPeople,
  burn,
  dmChannel,
  dms,
  email,
  expectOnTime,
  firedAlert,
  settled,
  PEOPLE,
  type Sink,
} from "./escalation-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

describe("escalation until someone acknowledges (book Fig. 8.2, in seconds)", () => {
  let stack: Stack;
  let sink: Sink;
  let scheduleId: string;
  let sloId: string;
  let main: string;
  let backup: string;
  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 1000, smtpUrl: sink.url });
    sloId = await setupSlo(stack, {
      team: "payments",
      channel: "#payments-oncall",
      service: "checkout",
      alerting: TWO_TIERS,
    });
    await addPeople(stack, "payments", PEOPLE, ["ann", "ben", "cat"]);
    const sch = await call(stack, "POST", "/api/v1/schedules", {
      name: "Payments weekly",
      team: "payments",
      timeZone: "UTC",
      rotation: { periodDays: 7, handoff: "00:00", start: "2026-01-05" },
      positions: ["main", "backup"],
      members: [email("ann"), email("ben")],
    });
    expect(sch.status).toBe(201);
    scheduleId = sch.body!.id as string;
    const now = await call(stack, "GET", `/api/v1/schedules/${scheduleId}/oncall`);
    main = String(now.body!.positions.main.email).split("@")[0]!;
    backup = String(now.body!.positions.backup.email).split("@")[0]!;
    const policy = await call(stack, "POST", "/api/v1/escalation-policies", {
      name: "Payments pages",
      team: "payments",
      repeat: 1,
      teamDefault: true,
      steps: [
        { target: { schedule: scheduleId, position: "main" }, ackTimeoutSeconds: TIMEOUTS[0] },
        { target: { schedule: scheduleId, position: "backup" }, ackTimeoutSeconds: TIMEOUTS[1] },
        { target: { team: "payments" }, ackTimeoutSeconds: TIMEOUTS[2] },
        { target: { user: email("dan") }, ackTimeoutSeconds: TIMEOUTS[3] },
      ],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  it("notifies main, backup, the team, the manager and main again, each at its time, then an ack stops it", async () => {
    await settled(stack, sloId);
    await burn(stack, "checkout", Date.now());
    const alert = await firedAlert(stack, sloId);
    const t0 = alert.firedMs;
    // main T0, backup T0+4, team T0+12, manager T0+28, the repeat from T0+32 (main).
    const team = ["ann", "ben", "cat"];
    const want: [string, number][] = [
      [main, 0],
      [backup, 4],
      ...team.map((n): [string, number] => [n, 12]),
      ["dan", 28],
      [main, 32],
    ];
    const mentionsInThread = () =>
      stack.slack.messages.filter(
        (m) => m.channel === "#payments-oncall" && m.threadTs && m.text.includes("paged (step"),
      );
    // The repeat's first step, its DM and its @mention, before the ack (an ack stops what is not sent yet).
    await waitFor(
      "the repeat's first notice",
      async () => dms(stack, t0).length >= want.length && mentionsInThread().length >= 5,
      60_000,
    );
    const ack = await call(stack, "POST", `/api/v1/alerts/${alert.id}/ack`, {});
    expect(ack.status).toBe(200);
    // The repeat's backup was due at T0+36: nothing more comes.
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 36_000 + TOLERANCE_MS - Date.now())));
    expectOnTime(dms(stack, t0), want);
    // The same people by email, at the same times (the real SMTP server's receipt time).
    const mails: [string, number][] = sink.mails
      .filter((m) => m.subject.includes("checkout"))
      .map((m) => [m.to[0]!.split("@")[0]!, m.at - t0]);
    expectOnTime(mails, want);
    expect(sink.mails[0]!.subject).toBe("[Burnrate page] checkout availability (checkout in prod-eu)");
    // One @mention per step in the alert's thread, naming that step's people.
    const mentions = mentionsInThread();
    expect(mentions.map((m) => m.text.match(/<@U\w+>/g)!.length)).toEqual([1, 1, 3, 1, 1]);
    expect(mentions[0]!.text).toContain(`<@${fakeUserId(email(main))}>`);
    // The alert shows its escalation: stopped by the ack, every notification recorded, each once.
    const shown = (await call(stack, "GET", `/api/v1/alerts/${alert.id}`)).body!;
    expect(shown.escalation).toMatchObject({ stopReason: "acknowledged", nextAt: null });
    const notified = shown.escalation.notified as { status: string; channel: string }[];
    expect(notified.filter((n) => n.status === "sent")).toHaveLength(want.length * 2 + 5);
    const events = (shown.events as { kind: string }[]).filter((e) => e.kind === "notified");
    expect(events).toHaveLength(want.length * 2 + 5);
  }, 120_000);

  it("refuses a bad policy with a 4xx naming the field, and documents the routes", async () => {
    const base = { name: "bad", team: "payments", steps: [] as object[] };
    const cases: [object, number, string][] = [
      [
        { ...base, steps: [{ target: { user: "nobody@example.com" }, ackTimeoutSeconds: 60 }] },
        400,
        "steps.0.target",
      ],
      [{ ...base, steps: [{ target: { routed: "main" }, ackTimeoutSeconds: 0 }] }, 400, "ackTimeoutSeconds"],
      [
        {
          ...base,
          steps: [{ target: { schedule: scheduleId, position: "backup2" }, ackTimeoutSeconds: 60 }],
        },
        400,
        "steps.0.target",
      ],
      [{ ...base, steps: [{ target: { team: "nope" }, ackTimeoutSeconds: 60 }] }, 400, "steps.0.target"],
      [
        { ...base, steps: [{ target: { routed: "main" }, ackTimeoutSeconds: 60 }], team: "nope" },
        400,
        "team",
      ],
      [
        { ...base, steps: [{ target: { routed: "main" }, ackTimeoutSeconds: 60 }], repeat: -1 },
        400,
        "repeat",
      ],
      [base, 400, "steps"],
    ];
    for (const [body, status, field] of cases) {
      const r = await call(stack, "POST", "/api/v1/escalation-policies", body);
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    const dup = await call(stack, "PUT", "/api/v1/users/me/notification-rules", {
      rules: [
        { channel: "email", severities: ["page"] },
        { channel: "email", severities: ["ticket"] },
      ],
    });
    expect(dup.status).toBe(400);
    const docs = JSON.parse((await stack.app.inject({ method: "GET", url: "/docs/json" })).body);
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/escalation-policies",
        "/api/v1/escalation-policies/{id}",
        "/api/v1/slos/{id}/escalation-policy",
        "/api/v1/users/me/notification-rules",
      ]),
    );
  });

  it("a person Slack does not know is recorded as failed and the next step is paged at once; a lost answer posts once", async () => {
    await call(stack, "POST", "/api/v1/services", { slug: "basket", name: "basket", team: "payments" });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "basket",
      name: "basket availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      alerting: TWO_TIERS,
    });
    const own = await call(stack, "POST", "/api/v1/escalation-policies", {
      name: "Basket",
      team: "payments",
      steps: [
        { target: { user: email("dan") }, ackTimeoutSeconds: 30 },
        { target: { user: email("ann") }, ackTimeoutSeconds: 30 },
      ],
    });
    const sloId = slo.body!.id as string;
    expect(
      (await call(stack, "PUT", `/api/v1/slos/${sloId}/escalation-policy`, { policyId: own.body!.id }))
        .status,
    ).toBe(200);
    // dan is reached by Slack only, and Slack has no such user; ann's DM is stored but its answer is lost.
    const dan = await stack.db.user.findUniqueOrThrow({ where: { email: email("dan") } });
    await stack.db.notificationRule.create({
      data: { userId: dan.id, channel: "slack_dm", severities: ["page"] },
    });
    stack.slack.unknownEmails.add(email("dan"));
    stack.slack.loseNextAnswersIn(dmChannel("ann"), 1);
    await settled(stack, sloId);
    await burn(stack, "basket", Date.now());
    const alert = await firedAlert(stack, sloId);
    const annDms = () =>
      stack.slack.messages.filter((m) => m.channel === dmChannel("ann") && m.text.includes("basket"));
    await waitFor("ann's page", async () => annDms().length > 0, 30_000);
    // Step 2 came at once, not after step 1's 30 s.
    const annAt = stack.slack.calls.find(
      (c) =>
        c.method === "chat.postMessage" &&
        c.body.channel === dmChannel("ann") &&
        String(c.body.text).includes("basket"),
    )!.at;
    expect(annAt - alert.firedMs).toBeLessThan(TOLERANCE_MS);
    await new Promise((r) => setTimeout(r, 2000));
    expect(annDms()).toHaveLength(1);
    expect(stack.slack.faultCounts.lostAnswers).toBe(1);
    const shown = (await call(stack, "GET", `/api/v1/alerts/${alert.id}`)).body!;
    const notified = shown.escalation.notified as {
      target: string;
      channel: string;
      status: string;
      error: string | null;
    }[];
    expect(notified.find((n) => n.target === "user:dan@example.com")).toMatchObject({
      channel: "slack_dm",
      status: "failed",
      error: "slack: users_not_found",
    });
    expect(
      notified.find((n) => n.target === "user:ann@example.com" && n.channel === "slack_dm"),
    ).toMatchObject({
      status: "sent",
    });
    expect((shown.events as { kind: string }[]).some((e) => e.kind === "notification_failed")).toBe(true);
    await call(stack, "POST", `/api/v1/alerts/${alert.id}/ack`, {});
  }, 90_000);

  it("an ack at step 2 stops steps 3 and later", async () => {
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "cart", team: "payments" });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      alerting: TWO_TIERS,
    });
    expect(slo.status).toBe(201);
    const before = stack.slack.calls.length;
    const mailsBefore = sink.mails.length;
    await settled(stack, slo.body!.id as string);
    await burn(stack, "cart", Date.now());
    const alert = await firedAlert(stack, slo.body!.id as string);
    const t0 = alert.firedMs;
    const since = () => {
      const later = { ...stack, slack: { ...stack.slack, calls: stack.slack.calls.slice(before) } } as Stack;
      return dms(later, t0);
    };
    // Redis loses the delayed job of step 2 right after step 1: the escalation sweep sends it all the same.
    await waitFor("the main's notice (step 1)", async () => since().some(([n]) => n === main), 30_000);
    for (const j of await stack.queue.getDelayed()) if (j.name === "alert.escalate") await j.remove();
    await waitFor("the backup's notice (step 2)", async () => since().some(([n]) => n === backup), 30_000);
    expect((await call(stack, "POST", `/api/v1/alerts/${alert.id}/ack`, {})).status).toBe(200);
    // Step 3 (the team) was due at T0+12.
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 12_000 + TOLERANCE_MS - Date.now())));
    expectOnTime(since(), [
      [main, 0],
      [backup, 4],
    ]);
    expect(sink.mails.slice(mailsBefore).map((m) => m.to[0])).toEqual([email(main), email(backup)]);
    const esc = (await call(stack, "GET", `/api/v1/alerts/${alert.id}`)).body!.escalation;
    expect(esc).toMatchObject({ stopReason: "acknowledged", nextAt: null });
    expect(Math.max(...(esc.notified as { step: number }[]).map((n) => n.step))).toBe(1);
  }, 90_000);

  it("a ticket notifies the first step once and stops there (the policy's default), recorded as stopped by 'ticket'", async () => {
    await call(stack, "POST", "/api/v1/services", { slug: "refunds", name: "refunds", team: "payments" });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "refunds",
      name: "refunds availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      alerting: TWO_TIERS,
    });
    expect(slo.status).toBe(201);
    const id = slo.body!.id as string;
    await settled(stack, id);
    const before = stack.slack.calls.length;
    // one request in ten fails: a burn of 10, over the ticket tier's 2 and under the page tier's 50
    const now = Date.now();
    await ingest(
      stack,
      "refunds",
      traffic(now - 10 * 60_000, now, 300, 10).map((r) => ({ ...r, region: "prod-eu" })),
    );
    const alert = await waitFor("the ticket", async () => {
      const a = await stack.db.alert.findFirst({ where: { sloId: id, state: "firing" } });
      return a ?? null;
    });
    expect(alert.severity).toBe("ticket");
    const esc = await waitFor(
      "the ticket's escalation to stop",
      async () => {
        const row = await stack.db.alertEscalation.findUnique({ where: { alertId: alert.id } });
        return row?.stopReason ? row : null;
      },
      60_000,
    );
    expect(esc).toMatchObject({ stopReason: "ticket", nextAt: null, pass: 0, step: 1 });
    await new Promise((r) => setTimeout(r, (TIMEOUTS[0]! + 2) * 1000));
    const later = { ...stack, slack: { ...stack.slack, calls: stack.slack.calls.slice(before) } } as Stack;
    expect(dms(later, alert.firedAt.getTime()).map(([n]) => n)).toEqual([main]);
  });
});

describe("business hours go to the team's rotation, out of hours to the region's (book Table 7.9)", () => {
  // A Wednesday, in the team's time zone (CET in January: UTC+1).
  const AT_10 = Date.parse("2027-01-06T09:00:00Z"); // 10:00 in Berlin
  const AT_22 = Date.parse("2027-01-06T21:00:00Z"); // 22:00 in Berlin
  let offset = 0;
  let stack: Stack;
  beforeAll(async () => {
    // API and worker run on a clock the test sets: the wall hour of the machine never matters.
    offset = AT_10 - Date.now();
    stack = await startStack({ worker: true, evalEveryMs: 1000, now: () => Date.now() + offset });
    await setupSlo(stack, {
      team: "payments",
      channel: "#payments",
      service: "checkout",
      alerting: TWO_TIERS,
    });
    await addPeople(stack, "payments", ["ann", "eve"], ["ann"]);
    await stack.db.region.upsert({
      where: { slug: "prod-eu" },
      create: { slug: "prod-eu", name: "prod-eu" },
      update: {},
    });
    const rotation = { periodDays: 7, handoff: "09:00", start: "2026-12-28" };
    const positions = ["main"];
    for (const body of [
      { name: "Payments days", team: "payments", activeHours: "8x5", members: [email("ann")] },
      { name: "EU nights", region: "prod-eu", activeHours: "16x7", members: [email("eve")] },
    ]) {
      const r = await call(stack, "POST", "/api/v1/schedules", {
        ...body,
        timeZone: "Europe/Berlin",
        rotation,
        positions,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const policy = await call(stack, "POST", "/api/v1/escalation-policies", {
      name: "Whoever is on call",
      team: "payments",
      teamDefault: true,
      steps: [{ target: { routed: "main" }, ackTimeoutSeconds: 600 }],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect(policy.body!.steps[0].label).toBe("Main on call (team in hours, region out of hours)");
  }, 120_000);
  afterAll(async () => stack?.stop());

  it("the same alert at 10:00 pages the team's main, at 22:00 the region's", async () => {
    const now = () => Date.now() + offset;
    const sloId = (
      await call(stack, "GET", "/api/v1/slos?service=checkout").then(
        (r) => r.body as unknown as { id: string }[],
      )
    )[0]!.id;
    await burn(stack, "checkout", now());
    await firedAlert(stack, sloId);
    await waitFor("ann's page at 10:00", async () => dms(stack, 0, ["ann", "eve"]).length > 0, 30_000);

    offset = AT_22 - Date.now();
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "cart", team: "payments" });
    const cart = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99,
      alerting: TWO_TIERS,
    });
    await burn(stack, "cart", now());
    await firedAlert(stack, cart.body!.id as string);
    await waitFor("eve's page at 22:00", async () => dms(stack, 0, ["eve"]).length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(dms(stack, 0, ["ann", "eve"]).map(([n]) => n)).toEqual(["ann", "eve"]);
    const texts = stack.slack.messages.filter((m) => m.channel.startsWith("D")).map((m) => m.text);
    expect(texts[0]).toContain("*checkout availability*");
    expect(texts[1]).toContain("*cart availability*");
  }, 120_000);
});
