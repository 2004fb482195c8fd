import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/** bad input costs only itself, is named line by line, never gives a 5xx; the API stays up. */
describe("10,000 malformed lines, oversize bodies, bad tokens", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    await call(stack, "POST", "/api/v1/services", { slug: "cart", name: "Cart", team: "shop" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  it("counts every good line and names every bad one", async () => {
    const now = Date.now();
    const good = (i: number) =>
      JSON.stringify({
        ts: now - 1000 - (i % 600) * 1000,
        service: "cart",
        method: "GET",
        route: `/r${i % 7}`,
        region: i % 2 ? "prod-eu" : "prod-us",
        status: i % 13 ? 200 : 503,
        durationMs: i % 500,
      });
    const base = JSON.parse(good(1)) as Record<string, unknown>;
    const bad: ((i: number) => [string, string | undefined])[] = [
      () => [`{"ts": ${now}, "service": "cart"`, undefined], // truncated JSON
      () => ["not json at all", undefined],
      () => ["[1,2,3]", undefined],
      () => ["null", undefined],
      () => [JSON.stringify({ ...base, status: "200" }), "status"],
      () => [JSON.stringify({ ...base, status: 700 }), "status"],
      () => [JSON.stringify({ ...base, ts: now + 3600_000 }), "ts"],
      () => [JSON.stringify({ ...base, ts: now - 8 * 86_400_000 }), "ts"],
      () => [JSON.stringify({ ...base, ts: "yesterday-ish" }), "ts"],
      () => [JSON.stringify({ ...base, durationMs: -5 }), "durationMs"],
      () => [JSON.stringify({ ...base, durationMs: null }), "durationMs"],
      () => [JSON.stringify({ ...base, method: "FETCH" }), "method"],
      () => [JSON.stringify({ ...base, route: "no-slash" }), "route"],
      () => [JSON.stringify({ ...base, route: undefined, endpoint: "GET" }), "endpoint"],
      () => [JSON.stringify({ ...base, region: "" }), "region"],
      () => [JSON.stringify({ ...base, service: "unknown-svc" }), "service"],
      () => [JSON.stringify({ ...base, service: "bad slug!" }), "service"],
      (i) => ["\u0000\u0001" + "x".repeat(i % 50), undefined],
    ];
    const lines: string[] = [];
    const badLines = new Map<number, string | undefined>();
    let goodCount = 0;
    for (let i = 0; badLines.size < 10_000 || goodCount < 20_000; i++) {
      if (i % 3 === 1 && badLines.size < 10_000) {
        const [text, field] = bad[badLines.size % bad.length]!(i);
        lines.push(text);
        badLines.set(lines.length, field);
      } else {
        lines.push(good(i));
        goodCount++;
      }
      if (i % 997 === 0) lines.push(""); // blank lines are not records and not errors
    }
    expect(badLines.size).toBe(10_000);
    const res = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: {
        authorization: `Bearer ${stack.token}`,
        "content-type": "application/x-ndjson",
        "content-encoding": "gzip",
      },
      payload: gzipSync(lines.join("\r\n")),
    });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body) as {
      accepted: number;
      rejected: number;
      errors: { line: number; field?: string; message: string }[];
      errorsTruncated?: boolean;
    };
    expect(body.accepted).toBe(goodCount);
    expect(body.rejected).toBe(10_000);
    expect(body.errorsTruncated).toBeUndefined();
    expect(body.errors.length).toBe(10_000);
    const named = new Map(body.errors.map((e) => [e.line, e]));
    expect([...named.keys()].sort((a, b) => a - b)).toEqual([...badLines.keys()]);
    for (const [line, field] of badLines) {
      const e = named.get(line)!;
      if (field) expect(e.field, `line ${line}: ${e.message}`).toBe(field);
      expect(e.message.length).toBeGreaterThan(5);
    }
    // Every good line counts in the rollups.
    const [sum] = await stack.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT sum(count)::int AS n FROM request_rollups`,
    );
    expect(sum?.n).toBe(goodCount);
  });

  it("oversize bodies get 413, raw or gzip-expanded, on both ingest paths", async () => {
    const limit = 4 * 1024 * 1024; // the harness's BURNRATE_INGEST_MAX_BYTES
    for (const url of ["/api/v1/ingest/requests", "/v1/traces"]) {
      const raw = await stack.app.inject({
        method: "POST",
        url,
        headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json" },
        payload: Buffer.alloc(limit + 1, 0x20),
      });
      expect(raw.statusCode, url).toBe(413);
      expect(JSON.parse(raw.body).error.code).toBe("payload_too_large");
      const bomb = await stack.app.inject({
        method: "POST",
        url,
        headers: {
          authorization: `Bearer ${stack.token}`,
          "content-type": "application/json",
          "content-encoding": "gzip",
        },
        payload: gzipSync(Buffer.alloc(limit * 8 + 1, 0x20)),
      });
      expect(bomb.statusCode, url).toBe(413);
      const notGzip = await stack.app.inject({
        method: "POST",
        url,
        headers: {
          authorization: `Bearer ${stack.token}`,
          "content-type": "application/json",
          "content-encoding": "gzip",
        },
        payload: "plain",
      });
      expect(notGzip.statusCode, url).toBe(400);
      expect(JSON.parse(notGzip.body).error.message).toMatch(/gzip/);
    }
  });

  it("a bad or missing token gets 401", async () => {
    for (const url of ["/api/v1/ingest/requests", "/v1/traces"]) {
      for (const authorization of ["Bearer brt_not_a_real_token_at_all", "Basic Zm9vOmJhcg==", undefined]) {
        const r = await stack.app.inject({
          method: "POST",
          url,
          headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
          payload: "{}",
        });
        expect(r.statusCode, `${url} ${authorization}`).toBe(401);
      }
    }
  });

  it("the API stays up", async () => {
    const ready = await stack.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    const after = await stack.app.inject({
      method: "POST",
      url: "/api/v1/ingest/requests",
      headers: { authorization: `Bearer ${stack.token}` },
      payload: JSON.stringify({
        ts: Date.now(),
        service: "cart",
        endpoint: "GET /cart",
        region: "prod-eu",
        status: 200,
        durationMs: 1,
      }),
    });
    expect(JSON.parse(after.body)).toMatchObject({ accepted: 1, rejected: 0 });
  });
});
