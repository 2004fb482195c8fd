import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOUR_MS } from "@burnrate/slo-core";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/** The clock the API and the worker read: it runs at real speed from six hours before the end of a month (UTC). */
const base = Date.parse("2026-11-30T18:00:00Z");
const t0 = Date.now();
const clock = () => base + (Date.now() - t0);

/** Ten hours of traffic ending at the clock: prod-eu spends 75% of a 99% SLO's budget, prod-us nothing. */
function traffic(service: string) {
  const recs: object[] = [];
  for (let i = 0; i < 10_000; i++) {
    const ts = clock() - 10 * HOUR_MS + i * 3600;
    const rec = { ts, service, method: "GET", route: "/pay", durationMs: 20 };
    recs.push({ ...rec, region: "prod-eu", status: i % 100 === 0 && i / 100 < 75 ? 500 : 200 });
    recs.push({ ...rec, region: "prod-us", status: 200 });
  }
  return recs;
}

type DryRun = {
  rows: {
    sloId: string;
    slo: string;
    region: string;
    remainingFraction: number;
    results: { conditionId: string; met: boolean; value: number | null }[];
  }[];
};

describe("policy dry run: which SLOs meet conditions now, nothing saved", () => {
  let stack: Stack;
  beforeAll(async () => {
    // the worker records which regions each SLO has data in
    stack = await startStack({ worker: true, evalEveryMs: 1000, now: clock });
    await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "Payments" });
    await call(stack, "POST", "/api/v1/services", { slug: "pay", name: "Pay", team: "payments" });
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "pay",
      name: "pay availability",
      sli: { type: "availability" },
      objectivePercent: 99,
      window: { type: "calendar", period: "month", timeZone: "UTC" },
    });
    expect(slo.status).toBe(201);
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(traffic("pay")),
    });
    expect(JSON.parse(r.body)).toMatchObject({ accepted: 20_000, rejected: 0 });
  });
  afterAll(async () => stack?.stop());

  const conditions = [
    { id: "consumed-70", type: "consumed", percent: 70 },
    { id: "consumed-80", type: "consumed", percent: 80 },
    { id: "burn-50-2h", type: "burned_within", percent: 50, hours: 2 },
    { id: "burn-30-24h", type: "burned_within", percent: 30, hours: 24 },
    { id: "exhausted", type: "exhausted" },
    { id: "pm", type: "manual", text: "An outage needs a postmortem" },
  ];

  it("judges every automatic condition per SLO × region, as the policy job does", async () => {
    // the worker also backfills the SLO's minutes from the rollups: wait until prod-eu's spending shows
    const rows = await waitFor("both regions with their spending", async () => {
      const r = await call(stack, "POST", "/api/v1/teams/payments/policy/dry-run", { conditions });
      expect(r.status).toBe(200);
      const list = (r.body as DryRun).rows;
      return list.length === 2 && list.some((x) => x.remainingFraction < 1) ? list : null;
    });
    expect(rows.map((x) => x.region)).toEqual(["prod-eu", "prod-us"]);
    const met = (region: string) =>
      rows
        .find((x) => x.region === region)!
        .results.filter((c) => c.met)
        .map((c) => c.conditionId);
    // 75 bad of 10,000 against an allowance of 100: 75% consumed, all of it within 24 h, none in the last 2 h
    expect(met("prod-eu")).toEqual(["consumed-70", "burn-30-24h"]);
    expect(met("prod-us")).toEqual([]);
    const eu = rows.find((x) => x.region === "prod-eu")!;
    expect(eu.remainingFraction).toBeCloseTo(0.25, 6);
    expect(eu.results.find((c) => c.conditionId === "consumed-70")!.value).toBeCloseTo(75, 6);
    expect(eu.results.map((c) => c.conditionId)).not.toContain("pm");
    // nothing was saved: the team still has no policy
    expect((await call(stack, "GET", "/api/v1/teams/payments/policy")).status).toBe(404);
  });

  it("refuses a bad condition naming the field, and an unknown team with 404", async () => {
    const bad = await call(stack, "POST", "/api/v1/teams/payments/policy/dry-run", {
      conditions: [{ id: "c", type: "consumed", percent: 0 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body!.error.details.issues[0].field).toBe("conditions.0.percent");
    const nope = await call(stack, "POST", "/api/v1/teams/nope/policy/dry-run", { conditions });
    expect(nope.status).toBe(404);
  });
});
