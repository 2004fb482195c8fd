import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/** The walking skeleton end to end: token → team → service → SLO → ingest → evaluation → status → Slack. */
describe("one SLO end to end", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
  });
  afterAll(async () => stack?.stop());

  it("burns budget on bad traffic and pages Slack once, not once per evaluation", async () => {
    const channel = "#team-payments-slo-breaches";
    expect(
      (
        await call(stack, "POST", "/api/v1/teams", {
          slug: "payments",
          name: "Payments",
          slackChannel: channel,
        })
      ).status,
    ).toBe(201);
    const svc = await call(stack, "POST", "/api/v1/services", {
      slug: "checkout",
      name: "Checkout",
      team: "payments",
      runbookUrl: "https://runbooks.example.com/checkout",
    });
    expect(svc.status).toBe(201);
    expect(svc.body!.failureStatuses).toEqual(["500-599"]);
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Cart availability",
      endpoint: "GET /cart",
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
    });
    expect(slo.status).toBe(201);
    const id = slo.body!.id as string;
    expect(slo.body!.sentence).toBe("99.9% of GET /cart requests succeed over 28 days");

    // 30 minutes of healthy traffic, then 5 minutes where 20% fail: a fast burn far above 14.4×.
    const now = Date.now();
    const records: object[] = [];
    for (let i = 0; i < 1800; i++)
      records.push({
        ts: now - 35 * 60_000 + i * 1000,
        service: "checkout",
        method: "GET",
        route: "/cart",
        region: "prod-eu",
        status: 200,
        durationMs: 40,
      });
    for (let i = 0; i < 300; i++)
      records.push({
        ts: now - 5 * 60_000 + i * 1000,
        service: "checkout",
        endpoint: "GET /cart",
        region: "prod-eu",
        status: i % 5 === 0 ? 503 : 200,
        durationMs: 80,
      });
    const t0 = Date.now();
    const ing = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: ndjson(records),
    });
    expect(ing.statusCode).toBe(200);
    expect(JSON.parse(ing.body)).toMatchObject({ accepted: 2100, rejected: 0, errors: [] });

    const status = await waitFor("the status to show the burn", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${id}/status`);
      return s.body?.sli.total === 2100 ? s.body : null;
    });
    const seenMs = Date.now() - t0;
    expect(seenMs).toBeLessThan(60_000);
    expect(status.sli.good).toBe(2040);
    expect(status.sli.ratio).toBeCloseTo(2040 / 2100, 12);
    expect(status.errorBudget.unit).toBe("requests");
    expect(status.errorBudget.bad).toBe(60);
    expect(status.errorBudget.allowed).toBeCloseTo(2.1, 9);
    expect(status.errorBudget.remainingFraction).toBeCloseTo(1 - 60 / 2.1, 9);
    expect(status.burnRates["5m"]).toBeGreaterThan(14.4);
    expect(status.burnRates["1h"]).toBeCloseTo(60 / 2100 / 0.001, 6);
    expect(status.tiers.find((t: { name: string }) => t.name === "fast-page").firing).toBe(true);
    expect(status.region).toBeNull();
    expect(status.regions).toEqual(["prod-eu"]);

    const regional = await call(stack, "GET", `/api/v1/slos/${id}/status?region=prod-eu`);
    expect(regional.body!.sli).toEqual(status.sli);

    await waitFor("a Slack post", async () => stack.slack.topLevel(channel).length > 0);
    const runsBefore = await stack.db.evaluationRun.count();
    await waitFor(
      "three more evaluation cycles",
      async () => (await stack.db.evaluationRun.count()) >= runsBefore + 3,
      30_000,
    );
    const posts = stack.slack.topLevel(channel);
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]!.blocks);
    expect(text).toContain("99.9% of GET /cart requests succeed over 28 days");
    expect(text).toContain("prod-eu");
    expect(text).toContain("https://runbooks.example.com/checkout");
    expect(posts[0]!.metadata?.event_payload?.key).toMatch(/^[0-9a-f-]{36}:[0-9a-f-]{36}$/);

    const alerts = await call(stack, "GET", `/api/v1/alerts?sloId=${id}`);
    expect(alerts.body).toHaveLength(1);
    expect(alerts.body![0]).toMatchObject({
      state: "firing",
      severity: "page",
      region: "prod-eu",
      slack: { channel, ts: posts[0]!.ts },
    });

    // A latency SLI over the same requests: 1800 at 40 ms and 300 at 80 ms; within 50 ms = the 1800.
    const lat = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "Cart latency",
      endpoint: "GET /cart",
      sli: { type: "latency", thresholdMs: 50 },
      objectivePercent: 80,
    });
    expect(lat.status).toBe(201);
    // Backfill recomputes the newest minutes first: the status is right before the older history is done.
    const latStatus = await waitFor("the latency SLO's backfill", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${lat.body!.id}/status`);
      return s.body?.sli.total === 2100 ? s.body : null;
    });
    expect(latStatus.sli.good).toBe(1800);
    await waitFor("the backfill to finish", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${lat.body!.id}`);
      return s.body!.backfillPercent === 100 ? true : null;
    });

    const series = await call(stack, "GET", `/api/v1/slos/${id}/series?region=prod-eu`);
    expect(series.status).toBe(200);
    const pts = series.body!.points as { total: number; remaining: number | null }[];
    expect(pts.reduce((a, p) => a + p.total, 0)).toBe(2100);
    expect(pts.at(-1)!.remaining).toBeCloseTo(status.errorBudget.remainingFraction, 6);
    expect(series.body!.thresholds.map((t: { factor: number }) => t.factor)).toEqual([
      13.44,
      5.6,
      2.8,
      expect.closeTo(0.9333, 3),
    ]);
    // Each tier names its windows, and every point has the burn rate of each of them: the last point's agree
    // with the status (both end at the current minute).
    expect(
      series.body!.thresholds.map((t: { longWindow: string; shortWindow: string }) => [
        t.longWindow,
        t.shortWindow,
      ]),
    ).toEqual([
      ["1h", "5m"],
      ["6h", "30m"],
      ["1d", "2h"],
      ["3d", "6h"],
    ]);
    const regionalNow = await call(stack, "GET", `/api/v1/slos/${id}/status?region=prod-eu`);
    expect(
      regionalNow.body!.tiers.map((t: { longWindow: string; shortWindow: string }) => [
        t.longWindow,
        t.shortWindow,
      ]),
    ).toEqual([
      ["1h", "5m"],
      ["6h", "30m"],
      ["1d", "2h"],
      ["3d", "6h"],
    ]);
    const last = (series.body!.points as { burnRates: Record<string, number | null> }[]).at(-1)!;
    expect(Object.keys(last.burnRates)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    for (const w of ["5m", "1h", "3d"])
      expect(last.burnRates[w]).toBeCloseTo(regionalNow.body!.burnRates[w], 6);

    // A maintenance window that began before the range and runs into it is in the series, with its end.
    const mStart = now - 3 * 3600_000;
    const mEnd = now + 3600_000;
    const m = await call(stack, "POST", "/api/v1/deployments", {
      service: "checkout",
      version: "db-upgrade",
      kind: "maintenance",
      at: mStart,
      endsAt: mEnd,
    });
    expect(m.status).toBe(201);
    const withMaintenance = await call(stack, "GET", `/api/v1/slos/${id}/series?region=prod-eu`);
    expect(withMaintenance.body!.from).toBeGreaterThan(mStart);
    expect(withMaintenance.body!.deployments).toContainEqual({
      at: mStart,
      version: "db-upgrade",
      kind: "maintenance",
      region: null,
      endsAt: mEnd,
    });
  });
});
