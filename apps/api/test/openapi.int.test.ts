import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest, setupSlo, traffic } from "./alerting-helpers";
import { call, startStack, type Stack } from "./harness";
import { ResponseValidator } from "./openapi-responses";

/**
 * The OpenAPI document at /docs/json: Redocly's recommended rules find no error and no warning; every
 * operation is named, summarised, tagged and declares its errors; and live answers, successes and refusals
 * alike, match their declared schema under a strict validator (the harness checks every test's answers too).
 */
type Json = Record<string, any>;
const REDOCLY = path.resolve(import.meta.dirname, "../node_modules/.bin/redocly");
const METHODS = ["get", "post", "put", "patch", "delete"];

describe("OpenAPI document", () => {
  let stack: Stack;
  let doc: Json;
  beforeAll(async () => {
    stack = await startStack();
    const res = await stack.app.inject({ method: "GET", url: "/docs/json" });
    expect(res.statusCode).toBe(200);
    doc = JSON.parse(res.body) as Json;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const operations = () =>
    Object.entries(doc.paths as Json).flatMap(([p, ops]) =>
      Object.entries(ops as Json)
        .filter(([m]) => METHODS.includes(m))
        .map(([m, op]) => ({ at: `${m.toUpperCase()} ${p}`, op: op as Json })),
    );

  it("passes `redocly lint` with the recommended rules: no error, no warning", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "burnrate-openapi-"));
    try {
      const file = path.join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const run = await promisify(execFile)(
        REDOCLY,
        ["lint", "--extends", "recommended", "--format", "json", file],
        { env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
      ).catch((e: { stdout?: string; stderr?: string }) => ({
        stdout: e.stdout ?? "",
        stderr: e.stderr ?? "",
      }));
      const report = JSON.parse(run.stdout) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
      };
      const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
      expect(problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names, summarises and tags every operation, declares its errors and its success schema", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(stack.app.apiRoutes.length - 4); // /metrics* and health are hidden
    const ids = ops.map((o) => o.op.operationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { at, op } of ops) {
      expect(op.operationId, at).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(op.summary, at).toBeTruthy();
      expect((op.tags as string[]).length, at).toBeGreaterThan(0);
      const statuses = Object.keys(op.responses as Json);
      expect(statuses, at).toEqual(expect.arrayContaining(["400", "503", "default"]));
      // a success, or for the sign-in hops a redirect
      const success = statuses.filter((s) => s.startsWith("2") || s.startsWith("3"));
      expect(success.length, at).toBeGreaterThan(0);
      for (const s of success.filter((x) => x.startsWith("2"))) {
        const r = (op.responses as Json)[s] as Json;
        if (s !== "204") expect(Object.keys(r.content ?? {}).length, `${at} ${s}`).toBeGreaterThan(0);
      }
    }
  });

  it("marks public operations as needing no credentials, and the others as needing them", () => {
    const byAt = new Map(operations().map((o) => [o.at, o.op]));
    for (const route of stack.app.apiRoutes) {
      const op = byAt.get(`${route.method} ${route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")}`);
      if (!op) continue;
      if (route.auth === "public") expect(op.security, route.url).toEqual([]);
      else {
        expect(op.security, route.url).toBeUndefined(); // the document's default: bearer or cookie
        expect(Object.keys(op.responses as Json), route.url).toEqual(expect.arrayContaining(["401", "403"]));
      }
    }
  });

  it("documents the bodies routes parse themselves (OpenSLO YAML, NDJSON, OTLP, Slack's forms)", () => {
    const body = (p: string) => Object.keys((doc.paths as Json)[p].post.requestBody?.content ?? {});
    expect(body("/api/v1/openslo/import")).toEqual(
      expect.arrayContaining(["application/yaml", "application/json"]),
    );
    expect(body("/api/v1/ingest/requests")).toEqual(["application/x-ndjson"]);
    expect(body("/api/v1/history/imports/{importId}/chunks/{seq}")).toEqual(["application/x-ndjson"]);
    expect(body("/v1/traces")).toEqual(["application/x-protobuf", "application/json"]);
    expect(body("/api/v1/slack/interactions")).toEqual(["application/x-www-form-urlencoded"]);
    expect(body("/api/v1/slack/events")).toEqual(["application/json"]);
  });

  it("writes a nullable enum with null among its values (OpenAPI 3.1)", () => {
    const slo = (doc.paths as Json)["/api/v1/slos/{id}"].get.responses["200"].content["application/json"]
      .schema;
    const priority = slo.properties.priority as Json;
    const branches = (priority.anyOf as Json[] | undefined) ?? [priority];
    expect(branches.some((b) => b.type === "null" || (b.enum as unknown[] | undefined)?.includes(null))).toBe(
      true,
    );
  });

  it("the validator refuses a wrong field type, an undeclared null, an undeclared status and media type", () => {
    const v = new ResponseValidator(doc);
    const team = {
      slug: "a",
      name: "A",
      slackChannel: null,
      domain: null,
      createdAt: "2026-01-01T00:00:00Z",
    };
    const answer = (status: number, body: unknown, contentType = "application/json") => ({
      method: "GET",
      route: "/api/v1/teams/:slug",
      url: "/api/v1/teams/a",
      status,
      contentType,
      body: JSON.stringify(body),
    });
    v.check(answer(200, { ...team, slug: 1 }));
    v.check(answer(200, { ...team, name: null }));
    v.check(answer(418, { error: { code: "internal", message: "teapot" } }));
    v.check(answer(200, team, "text/html"));
    v.check(answer(404, { error: { code: "gone", message: "x" } }));
    expect(v.mismatches).toHaveLength(5);
    expect(v.responses).toBe(5);
  });

  it("live answers of a broad set of calls match the document", async () => {
    const start = stack.answers.length;
    const sloId = await setupSlo(stack, { team: "payments", service: "checkout" });
    const now = Date.now();
    await ingest(stack, "checkout", traffic(now - 3 * 3600_000, now - 60_000, 200, 10));
    const ratio = await call(stack, "POST", "/api/v1/slos", {
      service: "checkout",
      name: "ratio",
      endpoint: "GET /cart",
      sli: { type: "ratio", good: "status < 500", total: "true" },
      objectivePercent: 99.5,
      window: { type: "calendar", period: "month", timeZone: "Europe/Berlin" },
      priority: "P2",
    });
    expect(ratio.status, JSON.stringify(ratio.body)).toBe(201);
    const gets = [
      "/api/v1/auth/me",
      "/api/v1/teams",
      "/api/v1/teams/payments",
      "/api/v1/teams/payments/members",
      "/api/v1/services",
      "/api/v1/services/checkout",
      "/api/v1/services/checkout/endpoints",
      "/api/v1/services/checkout/default-slos",
      "/api/v1/slos",
      `/api/v1/slos/${sloId}`,
      `/api/v1/slos/${sloId}/versions`,
      `/api/v1/slos/${sloId}/status`,
      `/api/v1/slos/${sloId}/status?region=prod-eu`,
      `/api/v1/slos/${sloId}/series?region=prod-eu`,
      `/api/v1/slos/${ratio.body!.id as string}/status`,
      "/api/v1/reports/overview",
      "/api/v1/reports/periods",
      "/api/v1/reports/indicators",
      "/api/v1/alerts",
      "/api/v1/silences",
      "/api/v1/deployments",
      "/api/v1/users",
      "/api/v1/regions",
      "/api/v1/tokens",
      "/api/v1/audit",
      "/api/v1/teams/payments/policy",
      "/api/v1/teams/payments/policy/versions",
      "/api/v1/teams/payments/policy/enactments",
      "/api/v1/release-gate?service=checkout&region=prod-eu",
      "/api/v1/settings/priorities",
      "/api/v1/settings/slack",
      "/api/v1/schedules",
      "/api/v1/oncall?team=payments",
    ];
    for (const url of gets) expect((await call(stack, "GET", url)).status, url).toBeLessThan(500);
    // Refusals: each must be declared and match the error schema.
    const anonymous = await stack.app.inject({ method: "GET", url: "/api/v1/slos" });
    expect(anonymous.statusCode).toBe(401);
    expect((await call(stack, "GET", "/api/v1/slos/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await call(stack, "GET", `/api/v1/slos/${sloId}/series?step=90000`)).status).toBe(400);
    expect((await call(stack, "POST", "/api/v1/teams", { slug: "payments", name: "again" })).status).toBe(
      409,
    );
    expect(
      (await call(stack, "POST", "/api/v1/teams", { slug: "x" }, { "content-type": "text/csv" })).status,
    ).toBe(415);
    const imported = await call(stack, "POST", "/api/v1/openslo/import?dryRun=true", {
      yaml: (
        await stack.app.inject({
          method: "GET",
          url: "/api/v1/openslo/export",
          headers: { authorization: `Bearer ${stack.token}` },
        })
      ).body,
    });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);

    const v = ResponseValidator.forApp(stack.app);
    for (const a of stack.answers.slice(start)) v.check(a);
    expect(v.mismatches).toEqual([]);
    expect(v.responses).toBeGreaterThanOrEqual(gets.length + 6);
    expect(v.operations.size).toBeGreaterThanOrEqual(30);
    console.info(
      `OpenAPI: ${v.responses} live answers of ${v.operations.size} operations match their schema`,
    );
  });
});
