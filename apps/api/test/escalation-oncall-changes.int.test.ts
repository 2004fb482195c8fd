import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TWO_TIERS, setupSlo } from "./alerting-helpers";
import { addPeople, burn, dms, email, firedAlert, settled, type Sink } from "./escalation-helpers";
import { call, startStack, waitFor, type Stack } from "./harness";
import { startSmtpSink } from "./smtp-sink";

const PEOPLE = ["ann", "ben", "cat", "dan"] as const;
const nameOf = (e: unknown) => String(e).split("@")[0]!;

describe("an override and an accepted swap change who is paged", () => {
  let stack: Stack;
  let sink: Sink;
  let scheduleId: string;
  /** The rotation's holders now: main, backup, and the member off this period. */
  let main: string;
  let backup: string;
  let off: string;
  beforeAll(async () => {
    sink = await startSmtpSink();
    stack = await startStack({ worker: true, evalEveryMs: 1000, smtpUrl: sink.url });
    await setupSlo(stack, {
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
      members: [email("ann"), email("ben"), email("cat")],
    });
    expect(sch.status, JSON.stringify(sch.body)).toBe(201);
    scheduleId = sch.body!.id as string;
    const now = (await call(stack, "GET", `/api/v1/schedules/${scheduleId}/oncall`)).body!;
    main = nameOf(now.positions.main.email);
    backup = nameOf(now.positions.backup.email);
    off = ["ann", "ben", "cat"].find((n) => n !== main && n !== backup)!;
    const policy = await call(stack, "POST", "/api/v1/escalation-policies", {
      name: "Payments pages",
      team: "payments",
      teamDefault: true,
      steps: [
        { target: { schedule: scheduleId, position: "main" }, ackTimeoutSeconds: 600 },
        { target: { schedule: scheduleId, position: "backup" }, ackTimeoutSeconds: 600 },
      ],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await sink?.stop();
  });

  /** A new SLO of the team burns; the people step 1 reached by DM and by email, once settled. */
  async function pageOnce(service: string, policyId?: string): Promise<{ dm: string[]; mail: string[] }> {
    await call(stack, "POST", "/api/v1/services", { slug: service, name: service, team: "payments" });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service,
      name: `${service} availability`,
      endpoint: "GET /cart", // the endpoint burn() sends
      sli: { type: "availability" },
      objectivePercent: 99,
      alerting: TWO_TIERS,
    });
    expect(slo.status, JSON.stringify(slo.body)).toBe(201);
    const sloId = slo.body!.id as string;
    if (policyId)
      expect((await call(stack, "PUT", `/api/v1/slos/${sloId}/escalation-policy`, { policyId })).status).toBe(
        200,
      );
    await settled(stack, sloId);
    const dmsBefore = stack.slack.calls.length;
    const mailsBefore = sink.mails.length;
    await burn(stack, service, Date.now());
    const alert = await firedAlert(stack, sloId);
    const later = () =>
      dms({ ...stack, slack: { ...stack.slack, calls: stack.slack.calls.slice(dmsBefore) } } as Stack, 0);
    const mails = () => sink.mails.slice(mailsBefore).filter((m) => m.subject.includes(service));
    await waitFor("step 1's DM and email", async () => later().length > 0 && mails().length > 0, 30_000);
    // Step 2 waits 600 s: whatever came in the next seconds is step 1's.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await call(stack, "POST", `/api/v1/alerts/${alert.id}/ack`, {})).status).toBe(200);
    return { dm: later().map(([n]) => n), mail: mails().map((m) => nameOf(m.to[0])) };
  }

  it("refuses (409) an override or a swap that would make one person main and backup at once", async () => {
    const now = Date.now();
    const window = { from: new Date(now).toISOString(), to: new Date(now + 3_600_000).toISOString() };
    const o = await call(stack, "POST", `/api/v1/schedules/${scheduleId}/overrides`, {
      ...window,
      position: "main",
      email: email(backup),
    });
    expect(o.status, JSON.stringify(o.body)).toBe(409);
    expect(o.body!.error.message).toContain(`${email(backup)} would hold both main and backup`);
    const swap = await call(stack, "POST", `/api/v1/schedules/${scheduleId}/swaps`, {
      ...window,
      requester: email(main),
    });
    expect(swap.status).toBe(201);
    const accept = await call(
      stack,
      "POST",
      `/api/v1/schedules/${scheduleId}/swaps/${swap.body!.id}/accept`,
      {
        acceptor: email(backup),
      },
    );
    expect(accept.status, JSON.stringify(accept.body)).toBe(409);
    expect(accept.body!.error.message).toContain("conflict");
    // Nothing changed: the swap is still open, the rotation's holders are on call.
    const swaps = (await call(stack, "GET", `/api/v1/schedules/${scheduleId}/swaps`)).body as unknown as {
      id: string;
      state: string;
    }[];
    expect(swaps.find((w) => w.id === swap.body!.id)!.state).toBe("open");
    const oncall = (await call(stack, "GET", `/api/v1/schedules/${scheduleId}/oncall`)).body!;
    expect([nameOf(oncall.positions.main.email), nameOf(oncall.positions.backup.email)]).toEqual([
      main,
      backup,
    ]);
    expect((await call(stack, "GET", `/api/v1/schedules/${scheduleId}/overrides`)).body).toEqual([]);
  });

  it("an override of the main pages the override's person, not the rotation's", async () => {
    const now = Date.now();
    const o = await call(stack, "POST", `/api/v1/schedules/${scheduleId}/overrides`, {
      position: "main",
      email: email("dan"),
      from: new Date(now - 60_000).toISOString(),
      to: new Date(now + 3_600_000).toISOString(),
      reason: "covering",
    });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    try {
      const got = await pageOnce("basket");
      expect(got).toEqual({ dm: ["dan"], mail: ["dan"] });
      expect(got.dm).not.toContain(main);
    } finally {
      expect(
        (await call(stack, "DELETE", `/api/v1/schedules/${scheduleId}/overrides/${o.body!.id}`)).status,
      ).toBe(200);
    }
  }, 120_000);

  it("an accepted swap pages the acceptor in the requester's place", async () => {
    const now = Date.now();
    const swap = await call(stack, "POST", `/api/v1/schedules/${scheduleId}/swaps`, {
      requester: email(main),
      from: new Date(now - 60_000).toISOString(),
      to: new Date(now + 3_600_000).toISOString(),
      note: "dentist",
    });
    expect(swap.status, JSON.stringify(swap.body)).toBe(201);
    const accepted = await call(
      stack,
      "POST",
      `/api/v1/schedules/${scheduleId}/swaps/${swap.body!.id}/accept`,
      {
        acceptor: email(off),
      },
    );
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const oncall = (await call(stack, "GET", `/api/v1/schedules/${scheduleId}/oncall`)).body!;
    expect(nameOf(oncall.positions.main.email)).toBe(off);
    const got = await pageOnce("cart");
    expect(got).toEqual({ dm: [off], mail: [off] });
  }, 120_000);

  it("a user-group step pages every member of the group, inside the team or not", async () => {
    const bad = await call(stack, "POST", "/api/v1/user-groups", {
      name: "Leads",
      team: "payments",
      members: [email("ben"), "nobody@example.com"],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("members");
    const group = await call(stack, "POST", "/api/v1/user-groups", {
      name: "Leads",
      team: "payments",
      members: [email("dan"), email("ben")],
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    expect(group.body!.members.map((m: { email: string }) => m.email)).toEqual([email("ben"), email("dan")]);
    const unknown = await call(stack, "POST", "/api/v1/escalation-policies", {
      name: "Nobody",
      team: "payments",
      steps: [{ target: { group: scheduleId }, ackTimeoutSeconds: 60 }],
    });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain("steps.0.target");
    const policy = await call(stack, "POST", "/api/v1/escalation-policies", {
      name: "Leads first",
      team: "payments",
      steps: [{ target: { group: group.body!.id }, ackTimeoutSeconds: 600 }],
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(201);
    expect(policy.body!.steps[0].label).toBe("Group Leads");
    const got = await pageOnce("orders", policy.body!.id as string);
    expect([...got.dm].sort()).toEqual(["ben", "dan"]);
    expect([...got.mail].sort()).toEqual(["ben", "dan"]);
    // A group a step pages is not deleted from under it.
    const del = await call(stack, "DELETE", `/api/v1/user-groups/${group.body!.id}`);
    expect(del.status).toBe(409);
    expect(del.body!.error.message).toContain("Leads first");
  }, 120_000);

  it("a notification rule may carry weekly hours in a time zone; a bad one is a 400 naming the field", async () => {
    const login = await stack.app.inject({
      method: "POST",
      url: "/api/v1/auth/login",
      payload: { email: email("ann"), password: "a long password" },
    });
    expect(login.statusCode).toBe(200);
    const cookie = String(login.headers["set-cookie"]).split(";")[0]!;
    const put = (payload: unknown) =>
      stack.app.inject({
        method: "PUT",
        url: "/api/v1/users/me/notification-rules",
        headers: { cookie, "x-burnrate-csrf": "1", "content-type": "application/json" },
        payload: JSON.stringify(payload),
      });
    const office = {
      windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" }],
      timeZone: "Europe/Berlin",
    };
    const ok = await put({
      rules: [
        { channel: "email", severities: ["page"], hours: office },
        { channel: "slack_dm", severities: ["page", "ticket"] },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(JSON.parse(ok.body).rules).toEqual([
      { channel: "email", severities: ["page"], hours: office },
      { channel: "slack_dm", severities: ["page", "ticket"], hours: null },
    ]);
    for (const [hours, field] of [
      [{ ...office, timeZone: "Mars/Olympus" }, "hours.timeZone"],
      [{ ...office, windows: [{ days: ["mon"], from: "25:00", to: "18:00" }] }, "from"],
      [{ ...office, windows: [] }, "windows"],
    ] as const) {
      const bad = await put({ rules: [{ channel: "email", severities: ["page"], hours }] });
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.body).toContain(field);
    }
    expect(stack.statuses.filter((x) => x >= 500)).toEqual([]);
  });
});
