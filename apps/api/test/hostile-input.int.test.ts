import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * Every registered route gets a NUL (and other control characters) in every string it takes: each path
 * parameter, each declared query parameter, every string field of its JSON body schema (from the OpenAPI
 * document the routes generate), common field names, and a body that is one bare string. The answer must be a
 * 4xx, and a 400 naming the field. Ingest batch bodies are checked line by line elsewhere and are left out here.
 */
const NUL = "x\u0000y";
const PER_LINE_BODIES = ["/api/v1/ingest/", "/v1/traces"];
const COMMON_FIELDS = [
  "name",
  "slug",
  "email",
  "team",
  "service",
  "description",
  "reason",
  "filter",
  "route",
];
type Schema = Record<string, unknown>;

function resolve(doc: Schema, s: Schema | undefined): Schema | undefined {
  const ref = s?.$ref as string | undefined;
  if (!ref) return s;
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<any>((o, k) => o?.[k], doc) as Schema | undefined;
}

/** Paths (dot-joined; "0" for an array element) of every string a JSON schema admits, a few levels deep. */
function stringPaths(doc: Schema, s0: Schema | undefined, path: string[] = [], depth = 0): string[][] {
  const s = resolve(doc, s0);
  if (!s || depth > 6) return [];
  const out: string[][] = [];
  const types = [s.type].flat();
  if (types.includes("string") && path.length) out.push(path);
  for (const k of ["anyOf", "oneOf", "allOf"] as const)
    for (const sub of (s[k] as Schema[] | undefined) ?? [])
      out.push(...stringPaths(doc, sub, path, depth + 1));
  for (const [k, sub] of Object.entries((s.properties as Record<string, Schema>) ?? {}))
    out.push(...stringPaths(doc, sub, [...path, k], depth + 1));
  if (s.items && typeof s.items === "object")
    out.push(...stringPaths(doc, s.items as Schema, [...path, "0"], depth + 1));
  if (s.additionalProperties && typeof s.additionalProperties === "object")
    out.push(...stringPaths(doc, s.additionalProperties as Schema, [...path, "key"], depth + 1));
  const seen = new Set<string>();
  return out.filter((p) => !seen.has(p.join(".")) && seen.add(p.join(".")));
}

function withValueAt(path: string[], value: unknown): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  return head === "0" ? [withValueAt(rest, value)] : { [head!]: withValueAt(rest, value) };
}

describe("NUL and control characters at every boundary: a 400 naming the field, never a 5xx", () => {
  let stack: Stack;
  let doc: Schema;
  const failures: string[] = [];
  let probes = 0;

  async function probe(
    what: string,
    req: { method: string; url: string; payload?: string; contentType?: string },
    field: string | null,
  ) {
    probes++;
    const res = await stack.app.inject({
      method: req.method as "GET",
      url: req.url,
      headers: {
        authorization: `Bearer ${stack.token}`,
        ...(req.payload !== undefined ? { "content-type": req.contentType ?? "application/json" } : {}),
      },
      ...(req.payload !== undefined ? { payload: req.payload } : {}),
    });
    const body = res.body.startsWith("{") ? (JSON.parse(res.body) as { error?: { message?: string } }) : {};
    const message = body.error?.message ?? "";
    if (res.statusCode >= 500) failures.push(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    // The login throttle answers before the body is read: a 429 there is the throttle doing its job.
    else if (res.statusCode === 429 && req.url === "/api/v1/auth/login") return;
    else if (field !== null && (res.statusCode !== 400 || !message.includes(field)))
      failures.push(
        `${what}: expected 400 naming '${field}', got ${res.statusCode} ${message.slice(0, 200)}`,
      );
  }

  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
    doc = (stack.app as unknown as { swagger(): Schema }).swagger();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("every route, every string: 0 × 5xx, and the field is named", async () => {
    const routes = stack.app.apiRoutes;
    expect(routes.length).toBeGreaterThan(40);
    const paths = doc.paths as Record<string, Record<string, Schema>>;
    for (const route of routes) {
      const method = route.method;
      const op = paths[route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")]?.[method.toLowerCase()];
      const params = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
      const concrete = (bad?: string) =>
        route.url.replace(/:([A-Za-z0-9_]+)/g, (_, p: string) =>
          p === bad ? encodeURIComponent(NUL) : p === "slug" ? "cart" : "x",
        );
      const hasBody = method !== "GET" && method !== "DELETE";
      const perLine = PER_LINE_BODIES.some((p) => route.url.startsWith(p));
      // Path parameters.
      for (const p of params)
        await probe(`${method} ${route.url} params.${p}`, { method, url: concrete(p) }, `params.${p}`);
      // Declared query parameters, then a generic one every route must refuse too.
      const query = ((op?.parameters as Schema[] | undefined) ?? []).filter((p) => p.in === "query");
      for (const q of query) {
        const name = q.name as string;
        await probe(
          `${method} ${route.url} query.${name}`,
          {
            method,
            url: `${concrete()}?${name}=${encodeURIComponent(NUL)}`,
            ...(hasBody && !perLine ? { payload: "{}" } : {}),
          },
          `query.${name}`,
        );
      }
      await probe(
        `${method} ${route.url} query.team`,
        {
          method,
          url: `${concrete()}?team=${encodeURIComponent("a\u0001b")}`,
          ...(hasBody && !perLine ? { payload: "{}" } : {}),
        },
        "query.team",
      );
      if (!hasBody || perLine) continue;
      // Every string field of the JSON body schema, one at a time.
      const schema = (op?.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      const fields = stringPaths(doc, schema?.["application/json"]?.schema as Schema | undefined);
      for (const f of [...fields, ...COMMON_FIELDS.map((c) => [c])]) {
        const field = `body.${f.join(".")}`;
        await probe(
          `${method} ${route.url} ${field}`,
          { method, url: concrete(), payload: JSON.stringify(withValueAt(f, NUL)) },
          field,
        );
      }
      // A body that is one bare string, and a control character other than NUL.
      await probe(
        `${method} ${route.url} body`,
        { method, url: concrete(), payload: JSON.stringify(NUL) },
        "body",
      );
      await probe(
        `${method} ${route.url} body.name (U+001B)`,
        { method, url: concrete(), payload: JSON.stringify({ name: "a\u001bb" }) },
        "body.name",
      );
    }
    // The routes outside /api as well.
    for (const url of ["/healthz", "/readyz", "/metrics"])
      await probe(
        `GET ${url} query.x`,
        { method: "GET", url: `${url}?x=${encodeURIComponent(NUL)}` },
        "query.x",
      );
    expect(failures).toEqual([]);
    expect(probes).toBeGreaterThan(300);
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
  });

  it("free text keeps tabs and newlines; names and filters do not take control characters", async () => {
    const ok = await call(stack, "PATCH", "/api/v1/teams/shop", { name: "Shop\tteam" });
    expect(ok.status).toBe(200);
    expect(ok.body?.name).toBe("Shop\tteam");
    const badQuery = await call(stack, "GET", `/api/v1/services?team=${encodeURIComponent("shop\n")}`);
    expect(badQuery.status).toBe(400);
    expect(badQuery.body?.error.message).toMatch(/^query\.team: contains the control character U\+000A/);
    const keyed = await call(stack, "POST", "/api/v1/services", {
      slug: "k",
      name: "K",
      team: "shop",
      labels: { "a\u0000": "b" },
    });
    expect(keyed.status).toBe(400);
    expect(keyed.body?.error.details.field).toBe("body.labels");
  });

  it("an OpenSLO file with a YAML NUL escape is refused, naming the document's field", async () => {
    const yaml = [
      "apiVersion: openslo/v1",
      "kind: Service",
      "metadata:",
      '  name: "ca\\0rt"',
      "spec:",
      '  description: "x"',
      "",
    ].join("\n");
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/openslo/import",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/yaml" },
      payload: yaml,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/metadata\.name.*control character U\+0000/);
  });

  it("a Slack interaction whose payload carries a NUL is refused, not a 500", async () => {
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/slack/interactions",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "payload=%7B%22type%22%3A%22%00%22%7D",
    });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  });
});
