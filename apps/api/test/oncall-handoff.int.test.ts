import { listScheduleRows, scheduleModels, type Db } from "@burnrate/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, waitFor, type Stack } from "./harness";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe("hand-off notices in the team's Slack channel", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => stack?.stop());

  it("announces a shift that started two minutes ago once, with who is on call now and next", async () => {
    await call(stack, "POST", "/api/v1/teams", {
      slug: "payments",
      name: "Payments",
      slackChannel: "#payments-oncall",
    });
    for (const name of ["ann", "ben", "cat"])
      await call(stack, "POST", "/api/v1/users", {
        email: `${name}@example.com`,
        name,
        password: "a long password",
      });
    // A daily rotation whose hand-off (UTC) was two minutes ago.
    const handoff = Math.floor((Date.now() - 2 * MINUTE) / MINUTE) * MINUTE;
    const hhmm = new Date(handoff).toISOString().slice(11, 16);
    const start = new Date(handoff - 3 * DAY).toISOString().slice(0, 10);
    const created = await call(stack, "POST", "/api/v1/schedules", {
      name: "Payments daily",
      team: "payments",
      timeZone: "UTC",
      rotation: { periodDays: 1, handoff: hhmm, start },
      positions: ["main", "backup"],
      members: ["ann@example.com", "ben@example.com", "cat@example.com"],
    });
    expect(created.status).toBe(201);
    // A region's schedule has no team channel: nothing is posted for it.
    await stack.db.region.create({ data: { slug: "prod-eu", name: "prod-eu" } });
    await call(stack, "POST", "/api/v1/schedules", {
      name: "EU nights",
      region: "prod-eu",
      timeZone: "UTC",
      rotation: { periodDays: 1, handoff: hhmm, start },
      positions: ["main"],
      members: ["cat@example.com"],
    });
    const now = await call(
      stack,
      "GET",
      `/api/v1/schedules/${created.body!.id}/oncall?at=${new Date(handoff).toISOString()}`,
    );
    const { main, backup } = now.body!.positions;
    const notice = await waitFor(
      "the hand-off notice",
      async () => stack.slack.messages.find((m) => m.text.startsWith("On call now for Payments daily")),
      30_000,
    );
    // Period k holds members[k mod 3] as main: 3 days after the start is period 3, ann again; the next is ben.
    expect(main.email).toBe("ann@example.com");
    expect(notice.channel).toBe("#payments-oncall");
    expect(notice.text).toBe(
      `On call now for Payments daily: Main ${main.name}, Backup ${backup.name}. Next: ben from ${new Date(handoff + DAY).toISOString()}.`,
    );
    // The check runs every second; the notice stays one.
    await new Promise((r) => setTimeout(r, 4000));
    expect(
      stack.slack.messages.filter((m) => m.text.startsWith("On call now for Payments daily")),
    ).toHaveLength(1);
    expect(stack.slack.messages.filter((m) => m.text.includes("EU nights"))).toHaveLength(0);
    const deliveries = await stack.db.slackDelivery.findMany({ where: { kind: "handoff" } });
    expect(deliveries.map((d) => [d.channel, d.status])).toEqual([["#payments-oncall", "sent"]]);
  });

  it("the hand-off check reads every schedule, its overrides and swaps in a fixed number of queries", async () => {
    let queries = 0;
    const counting = stack.db.$extends({
      query: {
        $allOperations: ({ args, query }) => {
          queries++;
          return query(args);
        },
      },
    }) as unknown as Db;
    const load = async () => {
      queries = 0;
      const rows = await listScheduleRows(counting, {});
      const models = await scheduleModels(counting, rows, Date.now());
      return { rows, models, queries };
    };
    const before = await load();
    const start = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await call(stack, "POST", "/api/v1/schedules", {
        name: `More ${i}`,
        team: "payments",
        timeZone: "UTC",
        rotation: { periodDays: 7, handoff: "09:00", start },
        positions: ["main"],
        members: ["ann@example.com", "ben@example.com"],
      });
      expect(r.status).toBe(201);
      ids.push(r.body!.id as string);
    }
    const override = await call(stack, "POST", `/api/v1/schedules/${ids[3]}/overrides`, {
      position: "main",
      email: "cat@example.com",
      from: new Date(Date.now()).toISOString(),
      to: new Date(Date.now() + DAY).toISOString(),
    });
    expect(override.status).toBe(201);
    const after = await load();
    expect(after.rows).toHaveLength(before.rows.length + 6);
    expect(after.queries).toBe(before.queries);
    // Each schedule gets its own overrides, and only those.
    const cat = (await stack.db.user.findUniqueOrThrow({ where: { email: "cat@example.com" } })).id;
    expect(after.models.get(ids[3]!)!.model.overrides.map((o) => o.member)).toEqual([cat]);
    for (const id of [ids[0]!, ids[5]!]) expect(after.models.get(id)!.model.overrides).toEqual([]);
  });
});
