import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

/** Custom ratio SLIs: filters validated on create, evaluated exactly from the rollups by the worker. */
describe("ratio SLIs (filter language)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" })).status).toBe(201);
    expect(
      (await call(stack, "POST", "/api/v1/services", { slug: "store", name: "Store", team: "shop" })).status,
    ).toBe(201);
  });
  afterAll(async () => stack?.stop());

  it.each([
    [{ good: "status < ", total: "true" }, "sli.good", 10, /expected a value/],
    [{ good: "true", total: 'route != "/healthz" and' }, "sli.total", 24, /expected a field/],
    [{ good: "durationMs <= 801", total: "true" }, "sli.good", 15, /allowed: .*800, 900/],
    [{ good: "statuss = 200", total: "true" }, "sli.good", 1, /unknown field 'statuss'/],
  ])("refuses %o with a 400 naming %s and position %i", async (filters, field, position, msg) => {
    const res = await call(stack, "POST", "/api/v1/slos", {
      service: "store",
      name: `bad ${field} ${position}`,
      sli: { type: "ratio", ...filters },
      objectivePercent: 99,
    });
    expect(res.status).toBe(400);
    expect(res.body!.error.code).toBe("validation_error");
    expect(res.body!.error.message).toContain(`'${field}'`);
    expect(res.body!.error.message).toContain(`at position ${position}`);
    expect(res.body!.error.message).toMatch(msg);
    expect(res.body!.error.details).toEqual({ field, position });
  });

  it("counts good and total exactly (PRODUCT.md example), per region and across regions", async () => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "store",
      name: "Fast non-failing requests",
      sli: { type: "ratio", good: "status < 500 and durationMs <= 800", total: 'route != "/healthz"' },
      objectivePercent: 95,
    });
    expect(slo.status).toBe(201);
    expect(slo.body!.sentence).toBe(
      "95% of store requests match 'status < 500 and durationMs <= 800' (of 'route != \"/healthz\"') over 28 days",
    );
    const id = slo.body!.id as string;
    // A mix with a known answer. Per record: [route, status, durationMs, region, how many]
    const now = Date.now();
    const mix: [string, number, number, string, number][] = [
      ["/cart", 200, 120, "prod-eu", 50], // good
      ["/cart", 200, 800, "prod-eu", 7], // good: exactly at the bound
      ["/cart", 200, 801, "prod-eu", 5], // slow
      ["/cart", 503, 50, "prod-eu", 4], // failed
      ["/cart", 499, 20, "prod-us", 9], // good
      ["/pay", 500, 900, "prod-us", 3], // failed and slow
      ["/healthz", 200, 1, "prod-eu", 40], // not in total
      ["/healthz", 503, 1, "prod-us", 6], // not in total
    ];
    const records: object[] = [];
    let k = 0;
    for (const [route, status, durationMs, region, n] of mix)
      for (let i = 0; i < n; i++)
        records.push({
          ts: now - 10 * 60_000 + (k++ % 500) * 1000,
          service: "store",
          method: "GET",
          route,
          region,
          status,
          durationMs,
        });
    const ing = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: ndjson(records),
    });
    expect(JSON.parse(ing.body)).toMatchObject({ accepted: records.length, rejected: 0 });
    // total = 50+7+5+4+9+3 = 78; good = 50+7+9 = 66
    const all = await waitFor("ratio SLO status", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${id}/status`);
      return s.body?.sli?.total === 78 ? s.body : null;
    });
    expect(all.sli).toEqual({ good: 66, total: 78, ratio: 66 / 78 });
    const eu = await call(stack, "GET", `/api/v1/slos/${id}/status?region=prod-eu`);
    expect(eu.body!.sli).toMatchObject({ good: 57, total: 66 });
    const us = await call(stack, "GET", `/api/v1/slos/${id}/status?region=prod-us`);
    expect(us.body!.sli).toMatchObject({ good: 9, total: 12 });

    // A PATCH to another filter re-evaluates the history: good = not slow, total = everything.
    const p = await call(stack, "PATCH", `/api/v1/slos/${id}`, {
      sli: { type: "ratio", good: 'durationMs <= 800 or region = "prod-us"', total: "true" },
      reason: "count every route; slow prod-us requests are accepted",
    });
    expect(p.status).toBe(200);
    const after = await waitFor("re-evaluated status", async () => {
      const s = await call(stack, "GET", `/api/v1/slos/${id}/status`);
      return s.body?.sli?.total === 124 ? s.body : null;
    });
    // total = 78 + 46 healthz; good = all but the 5 slow prod-eu /cart (the slow /pay ones are prod-us)
    expect(after.sli).toMatchObject({ good: 119, total: 124 });
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });
});
