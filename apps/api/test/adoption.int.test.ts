import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, type Stack } from "./harness";

/**
 * The adoption board for the book's 20-team sample (§6.12): 20/20 teams readjusted their HTTP codes, 20/20
 * connected their services to logging and APM, 15/20 defined initial SLOs, 5/20 react to alerts on SLO
 * breaches, 3/20 did a structured analysis of one month of breaches; the road-map phases nobody has reached.
 */
const NOW = Date.parse("2026-12-06T09:30:00Z");
const pad = (i: number) => String(i).padStart(2, "0");

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ now: () => NOW });
  const traffic: object[] = [];
  for (let i = 1; i <= 20; i++) {
    const team = `team-${pad(i)}`;
    expect((await call(stack, "POST", "/api/v1/teams", { slug: team, name: `Team ${pad(i)}` })).status).toBe(
      201,
    );
    const service = `svc-${pad(i)}`;
    expect(
      (await call(stack, "POST", "/api/v1/services", { slug: service, name: service, team })).status,
    ).toBe(201);
    // logging and APM: half the teams' traffic reaches Burnrate (derived), half say so by hand
    if (i % 2 === 0)
      traffic.push({
        ts: NOW - 60_000,
        service,
        method: "GET",
        route: "/x",
        region: "prod-eu",
        status: 200,
        durationMs: 5,
      });
    else
      expect(
        (
          await call(stack, "PUT", `/api/v1/teams/${team}/adoption/logging_apm`, {
            reached: true,
            reachedOn: "2026-05-04",
          })
        ).status,
      ).toBe(200);
    expect(
      (
        await call(stack, "PUT", `/api/v1/teams/${team}/adoption/http_codes_fixed`, {
          reached: true,
          reachedOn: "2026-04-01",
          note: "5xx only for server faults; 4xx for caller mistakes",
        })
      ).status,
    ).toBe(200);
    if (i <= 15)
      expect(
        (
          await call(stack, "POST", "/api/v1/slos", {
            service,
            name: `${service} availability`,
            sli: { type: "availability" },
            objectivePercent: 99.5,
          })
        ).status,
      ).toBe(201);
    if (i <= 5)
      expect(
        (await call(stack, "PUT", `/api/v1/teams/${team}/adoption/reacting_to_alerts`, { reached: true }))
          .status,
      ).toBe(200);
    if (i <= 3)
      expect(
        (
          await call(stack, "PUT", `/api/v1/teams/${team}/adoption/breach_analysis`, {
            reached: true,
            reachedOn: "2026-11-30",
          })
        ).status,
      ).toBe(200);
    // road map with target dates: one team is late with on-call, the others plan it for next quarter
    expect(
      (
        await call(stack, "PUT", `/api/v1/teams/${team}/adoption/oncall_setup`, {
          reached: false,
          targetDate: i === 1 ? "2026-12-01" : "2027-03-31",
        })
      ).status,
    ).toBe(200);
  }
  const r = await stack.app.inject({
    method: "POST",
    url: "/api/v1/ingest/requests",
    headers: { authorization: `Bearer ${stack.token}` },
    payload: ndjson(traffic),
  });
  expect(JSON.parse(r.body)).toMatchObject({ accepted: 10, rejected: 0 });
}, 120_000);
afterAll(async () => stack?.stop());

describe("adoption board", () => {
  it("counts the book's 20-team sample per phase as §6.12 does", async () => {
    const r = await call(stack, "GET", "/api/v1/reports/adoption");
    expect(r.status).toBe(200);
    const n = Object.fromEntries(
      (r.body!.phases as { phase: string; reached: number }[]).map((p) => [p.phase, p.reached]),
    );
    expect(r.body!.teams).toHaveLength(20);
    expect({
      services: n.services_registered,
      http: n.http_codes_fixed,
      loggingApm: n.logging_apm,
      slos: n.first_slos,
      react: n.reacting_to_alerts,
      analysis: n.breach_analysis,
    }).toEqual({ services: 20, http: 20, loggingApm: 20, slos: 15, react: 5, analysis: 3 });
    for (const p of r.body!.phases as { phase: string; roadMap: boolean; reached: number }[])
      if (p.roadMap) expect(p.reached, p.phase).toBe(0);
    const oncall = (r.body!.phases as { phase: string; overdue: number }[]).find(
      (p) => p.phase === "oncall_setup",
    );
    expect(oncall?.overdue).toBe(1);
  });

  it("says where each phase comes from: Burnrate's data or a hand entry, with its day", async () => {
    const r = await call(stack, "GET", "/api/v1/reports/adoption?team=team-01");
    const phases = r.body!.teams[0].phases as Record<string, unknown>[];
    const get = (p: string) => phases.find((x) => x.phase === p)!;
    // the day the service and the SLO were created (the database's clock)
    const aDay = expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/);
    expect(get("services_registered")).toMatchObject({
      state: "reached",
      source: "derived",
      reachedOn: aDay,
    });
    expect(get("first_slos")).toMatchObject({ state: "reached", source: "derived", reachedOn: aDay });
    expect(get("http_codes_fixed")).toMatchObject({
      state: "reached",
      source: "manual",
      reachedOn: "2026-04-01",
      note: "5xx only for server faults; 4xx for caller mistakes",
    });
    expect(get("reacting_to_alerts")).toMatchObject({
      state: "reached",
      source: "manual",
      reachedOn: "2026-12-06",
    });
    expect(get("oncall_setup")).toMatchObject({ state: "overdue", targetDate: "2026-12-01" });
    const t2 = (await call(stack, "GET", "/api/v1/reports/adoption?team=team-02")).body!.teams[0];
    expect(t2.phases.find((p: { phase: string }) => p.phase === "logging_apm")).toMatchObject({
      state: "reached",
      source: "derived",
    });
    expect(t2.reachedCount).toBe(6); // services, logging/APM, HTTP codes, SLOs, reacting, breach analysis
  });

  it("trends over quarters: what was reached by each quarter's end", async () => {
    const r = await call(stack, "GET", "/api/v1/reports/adoption?quarters=4");
    const trend = r.body!.trend as { quarter: string; counts: Record<string, number> }[];
    expect(trend.map((t) => t.quarter)).toEqual(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    expect(trend.map((t) => t.counts.http_codes_fixed)).toEqual([0, 20, 20, 20]);
    // ten hand entries dated in May; the ten derived from traffic have no known day and count from now
    expect(trend.map((t) => t.counts.logging_apm)).toEqual([0, 10, 10, 20]);
    expect(trend.map((t) => t.counts.breach_analysis)).toEqual([0, 0, 0, 3]);
  });

  it("answers CSV with Accept: text/csv, one line per team, parsing back to the JSON", async () => {
    const json = (await call(stack, "GET", "/api/v1/reports/adoption")).body!;
    const res = await stack.app.inject({
      method: "GET",
      url: "/api/v1/reports/adoption",
      headers: { authorization: `Bearer ${stack.token}`, accept: "text/csv" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const rows = res.body
      .trim()
      .split("\r\n")
      .map((l) => l.split(","));
    expect(rows[0]).toEqual([
      "team",
      "name",
      "reached",
      ...json.phases.map((p: { phase: string }) => p.phase),
    ]);
    expect(rows).toHaveLength(21);
    for (const [i, t] of (
      json.teams as {
        team: string;
        reachedCount: number;
        phases: { state: string; reachedOn: string | null }[];
      }[]
    ).entries()) {
      const row = rows[i + 1]!;
      expect(row[0]).toBe(t.team);
      expect(Number(row[2])).toBe(t.reachedCount);
      t.phases.forEach((p, j) =>
        expect(row[3 + j]).toBe(
          p.state === "reached" ? (p.reachedOn ?? "reached") : p.state === "overdue" ? "overdue" : "",
        ),
      );
    }
  });

  it("derives on-call, a signed policy and a status page from Burnrate's data", async () => {
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "extra", name: "Extra" })).status).toBe(201);
    expect(
      (await call(stack, "POST", "/api/v1/services", { slug: "extra-svc", name: "x", team: "extra" })).status,
    ).toBe(201);
    const policy = await call(stack, "PUT", "/api/v1/teams/extra/policy", {
      scope: "All services",
      purpose: "Balance reliability and features",
      conditions: [{ id: "c", type: "exhausted", consequences: [{ type: "notify" }] }],
      escalation: "Head of engineering",
      agreedBy: [
        { name: "D", role: "developer", date: "2026-11-01" },
        { name: "O", role: "operations", date: "2026-11-03" },
        { name: "P", role: "product_owner", date: "2026-11-02" },
      ],
      reason: "agreed",
    });
    expect(policy.status).toBe(200);
    const page = await call(stack, "POST", "/api/v1/status-pages", {
      slug: "extra-status",
      name: "Extra status",
      components: [{ name: "Extra", service: "extra-svc" }],
    });
    expect(page.status).toBe(201);
    const r = await call(stack, "GET", "/api/v1/reports/adoption?team=extra");
    const get = (p: string) => r.body!.teams[0].phases.find((x: { phase: string }) => x.phase === p);
    expect(get("error_budget_policy")).toMatchObject({
      state: "reached",
      source: "derived",
      reachedOn: "2026-11-03",
    });
    expect(get("status_page_live")).toMatchObject({
      state: "reached",
      source: "derived",
      reachedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(get("oncall_setup")).toMatchObject({ state: "open" });
  });

  it("refuses bad input with a 400 naming the field, and unknown teams with a 404", async () => {
    const put = (path: string, body: unknown) => call(stack, "PUT", path, body);
    const future = await put("/api/v1/teams/team-01/adoption/breach_analysis", {
      reached: true,
      reachedOn: "2026-12-07",
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain("reachedOn");
    const phase = await put("/api/v1/teams/team-01/adoption/world_peace", { reached: true });
    expect(phase.status).toBe(400);
    expect(JSON.stringify(phase.body)).toContain("phase");
    const notReached = await put("/api/v1/teams/team-01/adoption/breach_analysis", {
      reached: false,
      reachedOn: "2026-12-01",
    });
    expect(notReached.status).toBe(400);
    expect(JSON.stringify(notReached.body)).toContain("reachedOn");
    expect((await put("/api/v1/teams/team-01/adoption/breach_analysis", { reached: "yes" })).status).toBe(
      400,
    );
    expect((await put("/api/v1/teams/nobody/adoption/breach_analysis", { reached: true })).status).toBe(404);
    expect((await call(stack, "GET", "/api/v1/reports/adoption?team=nobody")).status).toBe(404);
    expect((await call(stack, "GET", "/api/v1/reports/adoption?quarters=99")).status).toBe(400);
    // a reached phase taken back by hand: open again
    expect((await put("/api/v1/teams/team-03/adoption/breach_analysis", { reached: false })).status).toBe(
      200,
    );
    const r = await call(stack, "GET", "/api/v1/reports/adoption?team=team-03");
    expect(r.body!.teams[0].phases.find((p: { phase: string }) => p.phase === "breach_analysis").state).toBe(
      "open",
    );
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
