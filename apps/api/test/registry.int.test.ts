import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, waitFor, type Stack } from "./harness";

describe("SLO registry", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, evalEveryMs: 1000 });
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop", slackChannel: "#shop-slo" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => stack?.stop());

  it("three edits with reasons give three versions with diffs, and the audit log shows them with their actors", async () => {
    const slo = await call(stack, "POST", "/api/v1/slos", {
      service: "cart",
      name: "Cart availability",
      sli: { type: "availability" },
      objectivePercent: 99,
    });
    const id = slo.body!.id as string;
    const edits = [
      { objectivePercent: 99.5, reason: "first review: users complain at 99%" },
      { name: "Cart availability (checkout step)", journeyStep: "checkout", reason: "name the journey step" },
      {
        window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
        reason: "align with the monthly report",
      },
    ];
    for (const e of edits) expect((await call(stack, "PATCH", `/api/v1/slos/${id}`, e)).status).toBe(200);
    const versions = (await call(stack, "GET", `/api/v1/slos/${id}/versions`)).body as unknown as {
      version: number;
      reason: string;
      author: string;
      changes: { field: string; before: unknown; after: unknown }[];
    }[];
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4]);
    expect(versions.slice(1).map((v) => v.reason)).toEqual(edits.map((e) => e.reason));
    expect(versions[1]!.changes).toEqual([{ field: "objectivePercent", before: 99, after: 99.5 }]);
    expect(versions[2]!.changes.map((c) => c.field)).toEqual(["journeyStep", "name"]);
    expect(versions[3]!.changes).toEqual([
      {
        field: "window",
        before: { type: "rolling", days: 28 },
        after: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
      },
    ]);
    expect(new Set(versions.map((v) => v.author))).toEqual(new Set(["token:bootstrap"]));
    const audit = (await call(stack, "GET", `/api/v1/audit?entity=slo&entityId=${id}`)).body as unknown as {
      action: string;
      actor: string;
      before: any;
      after: any;
    }[];
    const updates = audit.filter((a) => a.action === "update").reverse();
    expect(updates).toHaveLength(3);
    expect(updates.map((u) => u.actor)).toEqual(["token:bootstrap", "token:bootstrap", "token:bootstrap"]);
    expect(updates.map((u) => u.after.objectivePercent)).toEqual([99.5, 99.5, 99.5]);
    expect(updates[0]!.before.objectivePercent).toBe(99);
    expect(updates[2]!.after.window.period).toBe("month");
  });

  it("default SLOs apply to every endpoint without an explicit SLO for that SLI, and only for that SLI", async () => {
    await call(stack, "POST", "/api/v1/services", { slug: "accounts", name: "Accounts", team: "shop" });
    for (const e of ["GET /user/{id}", "POST /login", "GET /profile"])
      await call(stack, "POST", "/api/v1/services/accounts/endpoints", { endpoint: e });
    const put = await call(stack, "PUT", "/api/v1/services/accounts/default-slos", {
      availability: { objectivePercent: 90 },
      latency: { objectivePercent: 80, thresholdMs: 1000 },
      reason: "the book's starting point",
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      availability: { objectivePercent: 90 },
      latency: { objectivePercent: 80, thresholdMs: 1000 },
    });
    const explicit = await call(stack, "POST", "/api/v1/slos", {
      service: "accounts",
      name: "Login availability",
      endpoint: "POST /login",
      sli: { type: "availability" },
      objectivePercent: 99.5,
    });
    expect(explicit.status).toBe(201);
    const all = (await call(stack, "GET", "/api/v1/slos?service=accounts&includeDefaults=true"))
      .body as unknown as {
      endpoint: string;
      kind: string;
      sli: { type: string; thresholdMs?: number };
      objectivePercent: number;
    }[];
    const byEndpoint = (e: string) =>
      all
        .filter((s) => s.endpoint === e)
        .map(
          (s) =>
            `${s.kind}:${s.sli.type}:${s.objectivePercent}${s.sli.thresholdMs ? `@${s.sli.thresholdMs}` : ""}`,
        )
        .sort();
    expect(byEndpoint("POST /login")).toEqual(["default:latency:80@1000", "explicit:availability:99.5"]);
    expect(byEndpoint("GET /user/{id}")).toEqual(["default:availability:90", "default:latency:80@1000"]);
    expect(byEndpoint("GET /profile")).toEqual(["default:availability:90", "default:latency:80@1000"]);
    const explicitOnly = (await call(stack, "GET", "/api/v1/slos?service=accounts")).body as unknown as {
      kind: string;
    }[];
    expect(explicitOnly.map((s) => s.kind)).toEqual(["explicit"]);

    // A new endpoint picks up both defaults; deleting the explicit SLO brings the default back.
    await call(stack, "POST", "/api/v1/services/accounts/endpoints", { endpoint: "DELETE /session" });
    expect(
      (
        await call(
          stack,
          "GET",
          `/api/v1/slos?service=accounts&includeDefaults=true&endpoint=${encodeURIComponent("DELETE /session")}`,
        )
      ).body,
    ).toHaveLength(2);
    expect(
      (
        await call(
          stack,
          "DELETE",
          `/api/v1/slos/${explicit.body!.id}?reason=${encodeURIComponent("use the default again")}`,
        )
      ).status,
    ).toBe(204);
    const after = (
      await call(
        stack,
        "GET",
        `/api/v1/slos?service=accounts&includeDefaults=true&endpoint=${encodeURIComponent("POST /login")}`,
      )
    ).body as unknown as { kind: string }[];
    expect(after.map((s) => s.kind)).toEqual(["default", "default"]);

    // An endpoint first seen in traffic gets the defaults too.
    const seen = Date.now() - 30_000;
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson([
        {
          ts: seen,
          service: "accounts",
          endpoint: "GET /new-from-traffic",
          region: "prod-eu",
          status: 200,
          durationMs: 5,
        },
      ]),
    });
    const fromTraffic = (
      await call(
        stack,
        "GET",
        `/api/v1/slos?service=accounts&includeDefaults=true&endpoint=${encodeURIComponent("GET /new-from-traffic")}`,
      )
    ).body as unknown as { kind: string; sli: { type: string } }[];
    expect(fromTraffic.map((s) => `${s.kind}:${s.sli.type}`).sort()).toEqual([
      "default:availability",
      "default:latency",
    ]);

    // The derived SLOs are evaluated like any other: 10 requests, 1 failure, 2 slow.
    const now = Date.now();
    const recs = Array.from({ length: 10 }, (_, i) => ({
      ts: now - 60_000 + i,
      service: "accounts",
      endpoint: "GET /profile",
      region: "prod-eu",
      status: i === 0 ? 500 : 200,
      durationMs: i < 2 ? 1500 : 200,
    }));
    await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: ndjson(recs),
    });
    const profile = (
      await call(
        stack,
        "GET",
        `/api/v1/slos?service=accounts&includeDefaults=true&endpoint=${encodeURIComponent("GET /profile")}`,
      )
    ).body as unknown as {
      id: string;
      sli: { type: string };
    }[];
    for (const s of profile) {
      const st = await waitFor(`status of the default ${s.sli.type} SLO`, async () => {
        const r = await call(stack, "GET", `/api/v1/slos/${s.id}/status`);
        return r.body?.sli.total === 10 ? r.body : null;
      });
      expect(st.sli.good).toBe(s.sli.type === "availability" ? 9 : 8);
    }
    // Derived SLOs are edited through the defaults, not one by one.
    expect(
      (
        await call(stack, "PATCH", `/api/v1/slos/${profile[0]!.id}`, {
          objectivePercent: 95,
          reason: "x y z",
        })
      ).status,
    ).toBe(409);
  });

  it("refuses deletes that would orphan data with a 409", async () => {
    const team = await call(stack, "DELETE", "/api/v1/teams/shop");
    expect(team.status).toBe(409);
    expect(team.body!.error.message).toContain("service");
    const svc = await call(stack, "DELETE", "/api/v1/services/cart");
    expect(svc.status).toBe(409);
    expect(svc.body!.error.message).toContain("SLO");
    await call(stack, "POST", "/api/v1/ingest/requests", undefined);
    const regions = (await call(stack, "GET", "/api/v1/regions")).body as unknown as { slug: string }[];
    expect(regions.map((r) => r.slug)).toContain("prod-eu");
    expect((await call(stack, "DELETE", "/api/v1/regions/prod-eu")).status).toBe(409);
  });

  it("lists with filters and pagination", async () => {
    for (let i = 0; i < 5; i++)
      await call(stack, "POST", "/api/v1/services", { slug: `page-${i}`, name: `P${i}`, team: "shop" });
    const first = (await call(stack, "GET", "/api/v1/services?team=shop&limit=2&offset=0"))
      .body as unknown as { slug: string }[];
    const second = (await call(stack, "GET", "/api/v1/services?team=shop&limit=2&offset=2"))
      .body as unknown as { slug: string }[];
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(first.map((s) => s.slug)).not.toEqual(second.map((s) => s.slug));
  });
});

/** Every body: each required field missing, wrong types, out-of-range numbers, unknown fields → 400 naming the field. */
describe("validation of every body", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => stack?.stop());

  const bodies: {
    method: string;
    url: string;
    valid: Record<string, unknown>;
    required: string[];
    ranges?: Record<string, unknown>;
  }[] = [
    {
      method: "POST",
      url: "/api/v1/teams",
      valid: { slug: "t-x", name: "X", slackChannel: "#x" },
      required: ["slug", "name"],
    },
    {
      method: "POST",
      url: "/api/v1/services",
      valid: { slug: "s-x", name: "S", team: "shop", tier: 2 },
      required: ["slug", "name", "team"],
      ranges: { tier: 9 },
    },
    {
      method: "POST",
      url: "/api/v1/slos",
      valid: {
        service: "cart",
        name: "n",
        sli: { type: "availability" },
        objectivePercent: 99,
        window: { type: "rolling", days: 28 },
      },
      required: ["service", "name", "sli", "objectivePercent"],
      ranges: { objectivePercent: 100 },
    },
    {
      method: "POST",
      url: "/api/v1/deployments",
      valid: { service: "cart", version: "v1" },
      required: ["service", "version"],
    },
    {
      method: "POST",
      url: "/api/v1/users",
      valid: { email: "a@example.com", name: "A", password: "long enough pw" },
      required: ["email", "name", "password"],
    },
    {
      method: "POST",
      url: "/api/v1/tokens",
      valid: { name: "t", scopes: ["read"] },
      required: ["name", "scopes"],
    },
    {
      method: "PUT",
      url: "/api/v1/teams/shop/members",
      valid: { email: "a@example.com", role: "viewer" },
      required: ["email", "role"],
    },
    {
      method: "PUT",
      url: "/api/v1/services/cart/default-slos",
      valid: { availability: { objectivePercent: 90 }, reason: "why not" },
      required: ["reason"],
    },
    {
      method: "PATCH",
      url: "/api/v1/services/cart",
      valid: { name: "Cart" },
      required: [],
      ranges: { tier: 0 },
    },
    {
      method: "POST",
      url: "/api/v1/services/cart/endpoints",
      valid: { endpoint: "GET /x" },
      required: ["endpoint"],
    },
  ];
  const cases = bodies.flatMap((b) => [
    ...b.required.map((f) => ({
      name: `${b.method} ${b.url} without '${f}'`,
      b,
      body: omit(b.valid, f),
      field: f,
    })),
    ...Object.keys(b.valid).map((f) => ({
      name: `${b.method} ${b.url} with '${f}' of the wrong type`,
      b,
      body: { ...b.valid, [f]: wrongType(b.valid[f]) },
      field: f,
    })),
    ...Object.entries(b.ranges ?? {}).map(([f, v]) => ({
      name: `${b.method} ${b.url} with '${f}' out of range`,
      b,
      body: { ...b.valid, [f]: v },
      field: f,
    })),
    {
      name: `${b.method} ${b.url} with an unknown field`,
      b,
      body: { ...b.valid, surprise: 1 },
      field: "surprise",
    },
  ]);
  it.each(cases)("$name is a 400 naming the field", async ({ b, body, field }) => {
    const r = await call(stack, b.method, b.url, body);
    expect(r.status).toBe(400);
    expect(r.body!.error.code).toBe("validation_error");
    expect(r.body!.error.message + JSON.stringify(r.body!.error.details ?? "")).toContain(field);
  });
});

function omit(o: Record<string, unknown>, k: string) {
  const { [k]: _drop, ...rest } = o;
  return rest;
}
function wrongType(v: unknown): unknown {
  if (typeof v === "string") return 12345;
  if (typeof v === "number") return "a string";
  if (Array.isArray(v)) return "not a list";
  return "not an object";
}
