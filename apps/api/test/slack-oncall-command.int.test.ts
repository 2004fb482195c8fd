import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slackSign } from "./alerting-helpers";
import { call, startStack, type Stack } from "./harness";

const SECRET = "oncall-command-secret";

describe("Slack /burnrate oncall <team>", () => {
  let stack: Stack;
  let n = 0;
  /** A slash command as Slack sends it: form-encoded, signed, with a fresh timestamp. */
  async function command(
    text: string,
    sign: (ts: number, body: string) => string = (ts, b) => slackSign(SECRET, ts, b),
  ) {
    const body = new URLSearchParams({
      token: "legacy",
      team_id: "T1",
      user_id: "U1",
      command: "/burnrate",
      text,
      trigger_id: `t${++n}`,
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/slack/commands",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(ts, body),
      },
      payload: body,
    });
    return {
      status: res.statusCode,
      body: JSON.parse(res.body) as Record<string, any>,
      raw: { ts, body, sig: sign(ts, body) },
    };
  }

  beforeAll(async () => {
    stack = await startStack({ apiEnv: { SLACK_SIGNING_SECRET: SECRET } });
    await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" });
    await call(stack, "POST", "/api/v1/teams", { slug: "search", name: "Search" });
    for (const name of ["ann", "ben", "cat"])
      await call(stack, "POST", "/api/v1/users", {
        email: `${name}@example.com`,
        name,
        password: "a long password",
      });
    const created = await call(stack, "POST", "/api/v1/schedules", {
      name: "Payments around the clock",
      team: "payments",
      timeZone: "UTC",
      rotation: { periodDays: 1, handoff: "00:00", start: "2026-01-01" },
      positions: ["main", "backup"],
      members: ["ann@example.com", "ben@example.com", "cat@example.com"],
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => stack?.stop());

  it("answers who holds main and backup now, as the API does", async () => {
    const schedules = await call(stack, "GET", "/api/v1/schedules?team=payments");
    const now = await call(stack, "GET", `/api/v1/schedules/${schedules.body![0].id}/oncall`);
    const { main, backup } = now.body!.positions;
    const r = await command("oncall payments");
    expect(r.status).toBe(200);
    expect(r.body.response_type).toBe("ephemeral");
    expect(r.body.text).toBe(
      `On call for Payments (payments): Payments around the clock: Main ${main.name}, Backup ${backup.name}`,
    );
    expect(JSON.stringify(r.body.blocks)).toContain(`*Main:* ${main.name} (${main.email})`);
    expect(JSON.stringify(r.body.blocks)).toContain("http://burnrate.test/oncall");
  });

  it("tells a team with no schedule, an unknown team, and the usage apart", async () => {
    expect((await command("oncall search")).body.text).toBe("On call for Search (search): no schedule yet");
    expect((await command("oncall nope")).body.text).toBe("No team 'nope'. Teams: payments, search.");
    expect((await command("help")).body.text).toMatch(/^Usage: `\/burnrate oncall <team>`/);
    expect((await command("")).body.text).toMatch(/^Usage/);
  });

  it("refuses a wrong signature, a replay and control characters", async () => {
    expect((await command("oncall payments", () => "v0=" + "0".repeat(64))).status).toBe(401);
    const first = await command("oncall payments");
    expect(first.status).toBe(200);
    const replay = await stack.app.inject({
      method: "POST",
      url: "/api/v1/slack/commands",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(first.raw.ts),
        "x-slack-signature": first.raw.sig,
      },
      payload: first.raw.body,
    });
    expect(replay.statusCode).toBe(401);
    const nul = await command("oncall pay\u0000ments");
    expect(nul.status).toBe(400);
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
