import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, type Stack } from "./harness";

describe("bad input gets a clear 4xx, never a 500", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    expect(stack.statuses.length).toBeGreaterThan(20);
    await stack?.stop();
  });

  it("a malformed NDJSON line costs only itself and is named", async () => {
    const now = Date.now();
    const good = {
      ts: new Date(now - 60_000).toISOString(),
      service: "cart",
      method: "GET",
      route: "/cart",
      region: "prod-eu",
      status: 200,
      durationMs: 12,
    };
    const body = [
      JSON.stringify(good),
      "{not json",
      JSON.stringify({ ...good, status: "ok" }),
      JSON.stringify({ ...good, ts: now + 3600_000 }),
      JSON.stringify({ ...good, service: "nope" }),
      JSON.stringify({ ...good, route: undefined, endpoint: "GET /cart/{id}" }),
      "",
      JSON.stringify({ ...good, durationMs: -1 }),
    ].join("\n");
    const res = await call(stack, "POST", "/api/v1/ingest/requests", undefined, {});
    expect(res.status).toBe(200); // an empty body is zero records, not an error
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: body,
    });
    expect(r.statusCode).toBe(200);
    const out = JSON.parse(r.body);
    expect(out.accepted).toBe(2);
    expect(out.rejected).toBe(5);
    expect(out.errors.map((e: { line: number }) => e.line)).toEqual(
      [2, 3, 4, 8, 5].sort((a, b) => a - b).length === 5 ? [2, 3, 4, 8, 5] : [],
    );
    const byLine = Object.fromEntries(
      out.errors.map((e: { line: number; field?: string; message: string }) => [e.line, e]),
    );
    expect(byLine[2].message).toMatch(/invalid JSON/);
    expect(byLine[3].field).toBe("status");
    expect(byLine[4].message).toMatch(/future/);
    expect(byLine[5].message).toMatch(/unknown service 'nope'/);
    expect(byLine[8].field).toBe("durationMs");
  });

  it("gzip bodies are accepted and oversize bodies get 413", async () => {
    const rec = {
      ts: Date.now() - 1000,
      service: "cart",
      method: "GET",
      route: "/x",
      region: "prod-us",
      status: 200,
      durationMs: 3,
    };
    const gz = gzipSync(ndjson([rec, rec]));
    const ok = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: {
        authorization: `Bearer ${stack.token}`,
        "content-encoding": "gzip",
        "content-type": "application/x-ndjson",
      },
      payload: gz,
    });
    expect(JSON.parse(ok.body)).toMatchObject({ accepted: 2, rejected: 0 });
    const huge = "x".repeat(5 * 1024 * 1024);
    const big = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson" },
      payload: huge,
    });
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe("payload_too_large");
  });

  it.each([
    {
      name: "missing field",
      body: { service: "cart", sli: { type: "availability" }, objectivePercent: 99 },
      field: "name",
    },
    {
      name: "wrong type",
      body: { service: "cart", name: "x", sli: { type: "availability" }, objectivePercent: "99" },
      field: "objectivePercent",
    },
    {
      name: "100% objective",
      body: { service: "cart", name: "x", sli: { type: "availability" }, objectivePercent: 100 },
      field: "objectivePercent",
      message: /zero error budget/,
    },
    {
      name: "unknown SLI type",
      body: { service: "cart", name: "x", sli: { type: "magic" }, objectivePercent: 99 },
      field: "sli.type",
    },
    {
      name: "latency without threshold",
      body: { service: "cart", name: "x", sli: { type: "latency" }, objectivePercent: 99 },
      field: "sli.thresholdMs",
    },
    {
      name: "unknown field",
      body: {
        service: "cart",
        name: "x",
        sli: { type: "availability" },
        objectivePercent: 99,
        colour: "red",
      },
      field: "",
      message: /colour/,
    },
    {
      name: "window out of range",
      body: {
        service: "cart",
        name: "x",
        sli: { type: "availability" },
        objectivePercent: 99,
        window: { type: "rolling", days: 400 },
      },
      field: "window.days",
    },
    {
      name: "unknown service",
      body: { service: "ghost", name: "x", sli: { type: "availability" }, objectivePercent: 99 },
      field: "service",
    },
    {
      name: "bad endpoint",
      body: {
        service: "cart",
        name: "x",
        endpoint: "cart",
        sli: { type: "availability" },
        objectivePercent: 99,
      },
      field: "endpoint",
    },
  ])("bad SLO body ($name) is a 400 naming the field", async ({ body, field, message }) => {
    const r = await call(stack, "POST", "/api/v1/slos", body);
    expect(r.status).toBe(400);
    expect(r.body!.error.code).toBe("validation_error");
    if (field) expect(r.body!.error.message).toContain(`'${field}'`);
    if (message) expect(r.body!.error.message + JSON.stringify(r.body!.error.details)).toMatch(message);
  });

  it.each([
    // 1.5 minutes: buckets of 1 and 2 minutes in turn
    { step: "90000", status: 400, message: "whole number of minutes" },
    { step: "59999", status: 400, message: ">=60000" },
    { step: "120000", status: 200, message: "" },
  ])("/series with step=$step answers $status", async ({ step, status, message }) => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: `series step ${step}`,
      sli: { type: "availability" },
      objectivePercent: 99.5,
    });
    expect(slo.status).toBe(201);
    const to = Date.now();
    const r = await call(
      stack,
      "GET",
      `/api/v1/slos/${slo.body!.id}/series?from=${to - 3_600_000}&to=${to}&step=${step}`,
    );
    expect(r.status).toBe(status);
    if (status === 400) {
      expect(r.body!.error.message).toContain("'step'");
      expect(r.body!.error.message).toContain(message);
    } else expect(r.body!.stepMs).toBe(Number(step));
  });

  it("a PATCH without a reason is a 400", async () => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "avail",
      sli: { type: "availability" },
      objectivePercent: 99.5,
    });
    expect(slo.status).toBe(201);
    const r = await call(stack, "PATCH", `/api/v1/slos/${slo.body!.id}`, { objectivePercent: 99.9 });
    expect(r.status).toBe(400);
    expect(r.body!.error.message).toContain("'reason'");
    const ok = await call(stack, "PATCH", `/api/v1/slos/${slo.body!.id}`, {
      objectivePercent: 99.9,
      reason: "tighten after Q3 review",
    });
    expect(ok.status).toBe(200);
    expect(ok.body!.version).toBe(2);
  });

  it("missing or wrong tokens are 401", async () => {
    expect((await stack.app.inject({ method: "GET", url: "/api/v1/slos" })).statusCode).toBe(401);
    expect(
      (
        await stack.app.inject({
          method: "GET",
          url: "/api/v1/slos",
          headers: { authorization: "Bearer nope" },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await stack.app.inject({
          method: "GET",
          url: "/api/v1/slos",
          headers: { authorization: "Basic abc" },
        })
      ).statusCode,
    ).toBe(401);
    const r = await stack.app.inject({ method: "POST", url: "/api/v1/ingest/requests", payload: "{}" });
    expect(r.statusCode).toBe(401);
    expect(JSON.parse(r.body).error.code).toBe("unauthorized");
  });

  it.each([
    "/api/v1/slos/00000000-0000-4000-8000-000000000000",
    "/api/v1/slos/not-a-uuid/status",
    "/api/v1/services/ghost",
    "/api/v1/alerts/00000000-0000-4000-8000-000000000000",
    "/api/v1/nothing-here",
  ])("unknown %s is a 404", async (url) => {
    const r = await call(stack, "GET", url);
    expect(r.status).toBe(404);
    expect(r.body!.error.code).toBe("not_found");
  });

  it("invalid JSON bodies are a 400, not a 500", async () => {
    const r = await stack.app.inject({
      method: "POST",
      url: "/api/v1/teams",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json" },
      payload: "{bad",
    });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error.message).not.toMatch(/at .*\.ts/);
  });

  it("health, readiness and metrics answer", async () => {
    expect((await stack.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await stack.app.inject({ method: "GET", url: "/readyz" });
    expect(JSON.parse(ready.body)).toEqual({ postgres: "ok", redis: "ok" });
    const metrics = await stack.app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.body).toContain("burnrate_ingested_records_total");
    const docs = await stack.app.inject({ method: "GET", url: "/docs/json" });
    expect(JSON.parse(docs.body).paths["/api/v1/slos/{id}/status"]).toBeDefined();
  });
});
