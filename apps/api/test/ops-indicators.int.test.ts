import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DAY_MS, MINUTE_MS } from "@burnrate/slo-core";
import { call, startStack, type Stack } from "./harness";

/**
 * The manager's incident and on-call indicators through HTTP, seeded with the book's sample data:
 * Fig 11.15 (service 1's incident TTRs per 4-week period: 30 and 90, 60, none, 60, 120 minutes) and Fig 11.14
 * (team 2's five rotations, read as the prose has rotation 2: 08–16 and 19–21 UTC).
 */
/** ISO 2025 week 1 starts Monday 2024-12-30: the first 4-week period P1. */
const P1 = Date.UTC(2024, 11, 30);
const PERIOD_MS = 28 * DAY_MS;
let clock = P1;

describe("TTR trend and on-call indicators (book Figs 11.14, 11.15)", () => {
  let stack: Stack;
  const h = (n: number) => n * 60;

  /** An incident on `service` whose impact started `day` days into period k (0-based) at 10:00, resolved `ttr` min later. */
  const incident = async (service: string, k: number, day: number, ttr: number | null, title: string) => {
    const startedAt = P1 + k * PERIOD_MS + day * DAY_MS + 10 * 60 * MINUTE_MS;
    clock = startedAt;
    const opened = await call(stack, "POST", "/api/v1/incidents", {
      title,
      services: [service],
      regions: ["prod-us"],
      startedAt: new Date(startedAt).toISOString(),
      message: "Investigating.",
    });
    expect(opened.status).toBe(201);
    if (ttr !== null) {
      clock = startedAt + ttr * MINUTE_MS;
      const resolved = await call(stack, "POST", `/api/v1/incidents/${opened.body!.id}/updates`, {
        state: "resolved",
        message: "Recovered.",
      });
      expect(resolved.status).toBeLessThan(300);
    }
    return opened.body!.id as string;
  };

  beforeAll(async () => {
    stack = await startStack({ now: () => clock });
    for (const t of ["team-1", "team-2"]) await call(stack, "POST", "/api/v1/teams", { slug: t, name: t });
    await stack.db.region.create({ data: { slug: "prod-us", name: "prod-us" } });
    // Fig 11.15 has team 1 own service 1; Fig 11.14 has team 2's rotations cover it (the book's own conflict):
    // team 1's service-1 carries the TTR data, team 2's s1..s3 the rotations.
    await call(stack, "POST", "/api/v1/services", { slug: "service-1", name: "Service 1", team: "team-1" });
    await call(stack, "POST", "/api/v1/services", { slug: "other", name: "Other", team: "team-1" });
    for (const s of ["s1", "s2", "s3"])
      await call(stack, "POST", "/api/v1/services", { slug: s, name: s, team: "team-2" });
    for (const u of ["ann", "bob", "cat", "dan", "eve", "fay", "gus"])
      await call(stack, "POST", "/api/v1/users", {
        email: `${u}@example.com`,
        name: u,
        password: "a long password",
      });
    // Fig 11.15: P1 = 30 and 90 min, P2 = 60, P3 none, P4 = 60, P5 = 120
    await incident("service-1", 0, 3, 30, "Checkout errors");
    await incident("service-1", 0, 20, 90, "Login slow");
    await incident("service-1", 1, 5, 60, "Search down");
    await incident("service-1", 3, 10, 60, "Payments failing");
    await incident("service-1", 4, 2, 120, "Outage");
    // another service of the same team, and an incident still open: neither is service 1's trend
    await incident("other", 2, 4, 500, "Other service");
    await incident("service-1", 4, 20, null, "Still open");

    const rotation = (name: string, hours: [number, number][], services: string[], members: string[]) =>
      call(stack, "POST", "/api/v1/schedules", {
        name,
        team: "team-2",
        timeZone: "UTC",
        rotation: { periodDays: 7, handoff: "00:00", start: "2025-01-06" },
        activeHours: hours.map(([from, to]) => ({
          days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
          from: `${String(from).padStart(2, "0")}:00`,
          to: `${String(to).padStart(2, "0")}:00`,
        })),
        positions: members.length === 2 ? ["main", "backup"] : ["main"],
        members: members.map((m) => `${m}@example.com`),
        services,
      });
    for (const r of [
      await rotation("Rotation 1", [[7, 19]], ["s1"], ["ann", "bob"]),
      await rotation(
        "Rotation 2",
        [
          [8, 16],
          [19, 21],
        ],
        ["s2", "s3"],
        ["cat", "dan"],
      ),
      await rotation("Rotation 3", [[1, 5]], ["s1"], ["eve"]),
      await rotation("Rotation 4", [[1, 4]], ["s2"], ["fay"]),
      await rotation("Rotation 5", [[2, 5]], ["s3"], ["gus"]),
    ])
      expect(r.status).toBe(201);
  });
  afterAll(async () => stack?.stop());

  const ttrQuery = "from=2024-12-30T00:00:00Z&to=2025-05-19T00:00:00Z&scale=4w";

  it("reproduces Fig 11.15: TTRs per period, mean 72 min, an upward trendline", async () => {
    clock = Date.UTC(2025, 5, 1);
    const res = await call(stack, "GET", `/api/v1/reports/ttr-trend?service=service-1&${ttrQuery}`);
    expect(res.status).toBe(200);
    const b = res.body!;
    expect(b.periods ?? b.overall.periods).toBeDefined();
    expect(b.overall.periods.map((p: { start: number }) => p.start)).toEqual(
      [0, 1, 2, 3, 4].map((k) => P1 + k * PERIOD_MS),
    );
    expect(b.overall.periods.map((p: { ttrMinutes: number[] }) => p.ttrMinutes)).toEqual([
      [30, 90],
      [60],
      [],
      [60],
      [120],
    ]);
    expect(b.overall.periods.map((p: { count: number }) => p.count)).toEqual([2, 1, 0, 1, 1]);
    expect(b.overall.count).toBe(5);
    expect(b.overall.meanMinutes).toBe(72);
    expect(b.overall.slopePerIncident).toBeCloseTo(15, 9);
    expect(b.overall.slopePerPeriod).toBeCloseTo(10.9, 1);
    expect(b.overall.direction).toBe("up");
    expect(b.open).toBe(1);
    expect(b.incidents).toHaveLength(5);
    expect(b.teams.map((t: { team: string; count: number }) => [t.team, t.count])).toEqual([["team-1", 5]]);
  });

  it("per team: the team's other service counts too; filters and CSV", async () => {
    clock = Date.UTC(2025, 5, 1);
    const team = await call(stack, "GET", `/api/v1/reports/ttr-trend?team=team-1&${ttrQuery}`);
    expect(team.body!.overall.periods[2].ttrMinutes).toEqual([500]);
    expect(team.body!.overall.count).toBe(6);
    const region = await call(stack, "GET", `/api/v1/reports/ttr-trend?region=prod-eu&${ttrQuery}`);
    expect(region.body!.overall.count).toBe(0);
    const unknown = await call(stack, "GET", `/api/v1/reports/ttr-trend?team=nope&${ttrQuery}`);
    expect(unknown.status).toBe(200);
    expect(unknown.body!.overall.count).toBe(0);
    const csv = await stack.app.inject({
      method: "GET",
      url: `/api/v1/reports/ttr-trend?service=service-1&${ttrQuery}`,
      headers: { authorization: `Bearer ${stack.token}`, accept: "text/csv" },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split("\n");
    expect(lines[0]).toBe(
      "team,period_start,period_end,incidents,mean_ttr_minutes,median_ttr_minutes,ttr_minutes",
    );
    expect(lines[1]).toBe("*,2024-12-30T00:00:00.000Z,2025-01-27T00:00:00.000Z,2,60,60,30 90");
    expect(lines[3]).toBe("*,2025-02-24T00:00:00.000Z,2025-03-24T00:00:00.000Z,0,,,");
  });

  it("names the field of bad input (400), never a 500", async () => {
    for (const q of [
      "scale=year",
      "from=yesterday",
      "from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z",
      "from=1990-01-01T00:00:00Z&to=2025-01-01T00:00:00Z&scale=4w",
    ]) {
      const res = await call(stack, "GET", `/api/v1/reports/ttr-trend?${q}`);
      expect(res.status, q).toBe(400);
      expect(JSON.stringify(res.body), q).toMatch(/scale|from/);
    }
    const oncall = await call(
      stack,
      "GET",
      "/api/v1/reports/oncall?to=2025-01-01T00:00:00Z&from=2025-02-01T00:00:00Z",
    );
    expect(oncall.status).toBe(400);
    expect(JSON.stringify(oncall.body)).toMatch(/from/);
  });

  const oncallQuery = "team=team-2&from=2025-01-06T00:00:00Z&to=2025-02-03T00:00:00Z";

  it("reproduces Fig 11.14: rotations, covered UTC hours, services, people; no service covered 24/7", async () => {
    clock = Date.UTC(2025, 5, 1);
    const res = await call(stack, "GET", `/api/v1/reports/oncall?${oncallQuery}`);
    expect(res.status).toBe(200);
    expect(res.body!.teams).toHaveLength(1);
    const t = res.body!.teams[0];
    const every = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    expect(
      t.rotations.map((r: { name: string; coverage: unknown; services: string[]; people: number }) => [
        r.name,
        r.coverage,
        r.services,
        r.people,
      ]),
    ).toEqual([
      ["Rotation 1", [{ days: every, ranges: [{ from: h(7), to: h(19) }] }], ["s1"], 2],
      [
        "Rotation 2",
        [
          {
            days: every,
            ranges: [
              { from: h(8), to: h(16) },
              { from: h(19), to: h(21) },
            ],
          },
        ],
        ["s2", "s3"],
        2,
      ],
      ["Rotation 3", [{ days: every, ranges: [{ from: h(1), to: h(5) }] }], ["s1"], 1],
      ["Rotation 4", [{ days: every, ranges: [{ from: h(1), to: h(4) }] }], ["s2"], 1],
      ["Rotation 5", [{ days: every, ranges: [{ from: h(2), to: h(5) }] }], ["s3"], 1],
    ]);
    expect(t.peopleOnRotations).toBe(7);
    expect(t.distinctPeople).toBe(7);
    expect(
      t.services.map(
        (s: {
          service: string;
          hoursPerDay: number;
          aroundTheClock: boolean;
          uncovered: { ranges: unknown }[];
        }) => [s.service, s.hoursPerDay, s.aroundTheClock, s.uncovered[0]!.ranges],
      ),
    ).toEqual([
      [
        "s1",
        16,
        false,
        [
          { from: 0, to: h(1) },
          { from: h(5), to: h(7) },
          { from: h(19), to: h(24) },
        ],
      ],
      [
        "s2",
        13,
        false,
        [
          { from: 0, to: h(1) },
          { from: h(4), to: h(8) },
          { from: h(16), to: h(19) },
          { from: h(21), to: h(24) },
        ],
      ],
      [
        "s3",
        13,
        false,
        [
          { from: 0, to: h(2) },
          { from: h(5), to: h(8) },
          { from: h(16), to: h(19) },
          { from: h(21), to: h(24) },
        ],
      ],
    ]);
    // four weekly shifts in the 28 days; no pages yet
    expect(t.rotations.map((r: { shifts: number; pages: number }) => [r.shifts, r.pages])).toEqual(
      Array.from({ length: 5 }, () => [4, 0]),
    );
  });

  it("counts pages per shift, pages while off duty and the time to acknowledge, per rotation", async () => {
    const onDuty = await incident("s1", 0, 10, 30, "s1 at 10:00"); // 2025-01-09 10:00: rotation 1 on duty
    const offDuty = Date.UTC(2025, 0, 12, 6, 0);
    clock = offDuty;
    const night = await call(stack, "POST", "/api/v1/incidents", {
      title: "s1 at 06:00",
      services: ["s1"],
      startedAt: new Date(offDuty).toISOString(),
      message: "Investigating.",
    });
    expect(night.status).toBe(201);
    const t0 = (await stack.db.incident.findUniqueOrThrow({ where: { id: onDuty } })).detectedAt.getTime();
    await stack.db.incident.update({
      where: { id: onDuty },
      data: { acknowledgedAt: new Date(t0 + 4 * MINUTE_MS) },
    });
    await stack.db.incident.update({ where: { id: night.body!.id }, data: { acknowledgedAt: null } });
    clock = Date.UTC(2025, 5, 1);
    const res = await call(stack, "GET", `/api/v1/reports/oncall?${oncallQuery}&service=s1`);
    const t = res.body!.teams[0];
    expect(t.services.map((s: { service: string }) => s.service)).toEqual(["s1"]);
    expect(
      t.rotations.map(
        (r: {
          name: string;
          pages: number;
          pagesPerShift: number;
          outsideCoverage: number;
          medianAckMinutes: number | null;
          unacknowledged: number;
        }) => [r.name, r.pages, r.pagesPerShift, r.outsideCoverage, r.medianAckMinutes, r.unacknowledged],
      ),
    ).toEqual([
      ["Rotation 1", 2, 0.5, 1, 4, 1],
      ["Rotation 3", 2, 0.5, 2, 4, 1],
    ]);
    const csv = await stack.app.inject({
      method: "GET",
      url: `/api/v1/reports/oncall?${oncallQuery}`,
      headers: { authorization: `Bearer ${stack.token}`, accept: "text/csv" },
    });
    const lines = csv.body.trim().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[1]).toBe("team-2,Rotation 1,daily 07:00-19:00,84,s1,2,4,2,0.5,1,4,1");
    expect(lines[2]).toBe("team-2,Rotation 2,daily 08:00-16:00 19:00-21:00,70,s2 s3,2,4,0,0,0,,0");
  });
});
