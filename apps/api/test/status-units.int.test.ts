import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/**
 * The status states the unit of its error budget, and keeps allowed, bad and remainingFraction in it:
 * requests for occurrences, minutes for timeslices.
 */
describe("the status's budget unit", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    await call(stack, "POST", "/api/v1/teams", { slug: "units", name: "Units" });
    await call(stack, "POST", "/api/v1/services", { slug: "units-api", name: "Units API", team: "units" });
    // 20 minutes of 100 requests; 6 of them have 7 failures each (SLI 93%): 42 bad requests in 6 bad minutes.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const recs: object[] = [];
    for (let m = 20; m >= 1; m--)
      for (let i = 0; i < 100; i++)
        recs.push({
          ts: minute - m * 60_000 + i * 500,
          service: "units-api",
          endpoint: "GET /q",
          region: "prod-eu",
          status: m % 3 === 0 && i < 7 ? 503 : 200,
          durationMs: 10,
        });
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: ndjson(recs),
    });
    expect(JSON.parse(res.body)).toMatchObject({ accepted: 2000, rejected: 0 });
  });
  afterAll(async () => stack?.stop());

  it.each([
    // 28 days = 40,320 minutes: 0.1% of them is 40.32 bad minutes allowed.
    { method: "timeslices", unit: "minutes", allowed: 40.32, bad: 6, remaining: 1 - 6 / 40.32 },
    { method: "occurrences", unit: "requests", allowed: 2, bad: 42, remaining: 1 - 42 / 2 },
  ])("$method: $bad bad $unit of $allowed allowed", async ({ method, unit, allowed, bad, remaining }) => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "units-api",
      name: `Units ${method}`,
      sli: { type: "availability" },
      objectivePercent: 99.9,
      window: { type: "rolling", days: 28 },
      budgetingMethod: method,
    });
    expect(slo.status, JSON.stringify(slo.body)).toBe(201);
    const status = await waitFor("the status to count every request", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${slo.body!.id}/status`);
      return s.body?.sli.total === 2000 ? s.body : null;
    });
    expect(status.sli).toEqual({ good: 1958, total: 2000, ratio: 0.979 });
    expect(status.errorBudget.unit).toBe(unit);
    expect(status.errorBudget.allowed).toBeCloseTo(allowed, 9);
    expect(status.errorBudget.bad).toBe(bad);
    expect(status.errorBudget.remainingFraction).toBeCloseTo(remaining, 9);
    // 20 minutes of data in a 28-day window: the status says how little history it stands on.
    expect(status.historyDays).toBeGreaterThan(20 / 1440);
    expect(status.historyDays).toBeLessThan(30 / 1440);
  });
});
