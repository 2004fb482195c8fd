import { request } from "node:http";
import { createDb, sqlRows } from "@burnrate/db";
import { createJobQueues } from "@burnrate/jobs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app";
import { loadApiConfig } from "../src/config";
import { REDIS_URL, call, ndjson, startStack, type Stack } from "./harness";

const NOW = Date.now();
/** Services that the concurrent batches all write to, each batch in its own order. */
const SHOPS = Array.from({ length: 12 }, (_, i) => `shop-${i}`);
const line = (over: Record<string, unknown> = {}) => ({
  ts: NOW - 60_000,
  service: "shop",
  method: "GET",
  route: "/cart",
  region: "prod-eu",
  status: 200,
  durationMs: 12,
  ...over,
});

async function post(stack: Stack, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}/api/v1/ingest/requests`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/x-ndjson", ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Record<string, any> };
}

async function stored(stack: Stack, service = "shop"): Promise<number> {
  const [r] = await sqlRows<{ n: number }>(
    stack.db,
    `SELECT coalesce(sum(r.count), 0)::int AS n FROM request_rollups r JOIN services s ON s.id = r.service_id
      WHERE s.slug = $1`,
    [service],
  );
  return r!.n;
}

async function deadlocks(stack: Stack): Promise<number> {
  await sqlRows(stack.db, `SELECT pg_stat_clear_snapshot()::text AS x`);
  const [r] = await sqlRows<{ n: number }>(
    stack.db,
    `SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()`,
  );
  return r!.n;
}

describe("ingest under concurrency, retries and hostile input", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      apiEnv: {
        // Every one of the 64 concurrent batches is admitted and waits its turn for the database.
        BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: "128",
        BURNRATE_INGEST_MAX_INFLIGHT_MB: "512",
        BURNRATE_INGEST_DB_CONCURRENCY: "6",
        BURNRATE_INGEST_QUEUE_WAIT_MS: "60000",
        BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE: "200",
        BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE: "6",
      },
    });
    await call(stack, "POST", "/api/v1/teams", { slug: "ops", name: "Ops" });
    for (const slug of ["shop", "burst", "keys", "hostile", ...SHOPS])
      await call(stack, "POST", "/api/v1/services", { slug, name: slug, team: "ops" });
  });
  afterAll(async () => stack?.stop());

  it("64 concurrent batches over the same rows and new endpoints: stored = acknowledged, no deadlock", async () => {
    const before = await deadlocks(stack);
    // Each batch: 40 endpoints (20 of them new, shared with other batches) × 3 regions × 2 minutes, shuffled,
    // of 12 services.
    const batches = Array.from({ length: 64 }, (_, b) => {
      const lines: object[] = [];
      for (let i = 0; i < 40; i++)
        for (const region of ["prod-eu", "prod-us", "staging"])
          for (const minute of [1, 2])
            lines.push(
              line({
                service: SHOPS[(i * 5 + b * 7) % SHOPS.length],
                route: `/r${(i + b) % 60}`,
                region,
                ts: NOW - minute * 60_000,
                status: i % 7 === 0 ? 500 : 200,
              }),
            );
      for (let i = lines.length - 1; i > 0; i--) {
        const j = (i * 7919 + b * 104729) % (i + 1);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return ndjson(lines);
    });
    const answers = await Promise.all(batches.map((body) => post(stack, body)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const acknowledged = answers.reduce(
      (n, a) => n + (a.status === 200 ? (a.body.accepted as number) : 0),
      0,
    );
    expect(acknowledged).toBe(64 * 240);
    let sum = 0;
    for (const slug of SHOPS) sum += await stored(stack, slug);
    expect(sum).toBe(acknowledged);
    await new Promise((r) => setTimeout(r, 1200)); // statistics are flushed at most once a second
    expect((await deadlocks(stack)) - before).toBe(0);
    const [eps] = await sqlRows<{ n: number }>(
      stack.db,
      `SELECT count(DISTINCT e.route)::int AS n FROM endpoints e JOIN services s ON s.id = e.service_id
        WHERE s.slug LIKE 'shop-%'`,
    );
    expect(eps!.n).toBe(60);
  });

  it("a batch retried with the same Idempotency-Key counts once (also when both arrive at once)", async () => {
    const body = ndjson([line({ service: "keys" }), line({ service: "keys", status: 503 })]);
    const first = await post(stack, body, { "idempotency-key": "batch-0001" });
    expect(first.status).toBe(200);
    expect(first.body.accepted).toBe(2);
    const again = await post(stack, body, { "idempotency-key": "batch-0001" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await stored(stack, "keys")).toBe(2);

    const twins = await Promise.all(
      [1, 2, 3].map(() => post(stack, body, { "idempotency-key": "batch-0002" })),
    );
    expect(twins.map((t) => t.status)).toEqual([200, 200, 200]);
    expect(twins.map((t) => t.body.accepted)).toEqual([2, 2, 2]);
    expect(await stored(stack, "keys")).toBe(4);

    const other = await post(stack, ndjson([line({ service: "keys" })]), { "idempotency-key": "batch-0001" });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain("Idempotency-Key");
    expect(await stored(stack, "keys")).toBe(4);

    const bad = await post(stack, body, { "idempotency-key": "has space" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual({ field: "Idempotency-Key" });

    // OTLP too: the replay is the same answer, in the request's encoding.
    const otlp = {
      resourceSpans: [
        {
          resource: { attributes: [kv("service.name", "keys"), kv("cloud.region", "prod-eu")] },
          scopeSpans: [{ spans: [span("/otlp")] }],
        },
      ],
    };
    const o1 = await postOtlp(stack, otlp, { "idempotency-key": "otlp-1" });
    const o2 = await postOtlp(stack, otlp, { "idempotency-key": "otlp-1" });
    expect(o1.status).toBe(200);
    expect(o2.body).toEqual(o1.body);
    expect(await stored(stack, "keys")).toBe(5);
  });

  it("NUL and other control characters refuse their line only, naming line and field (NDJSON)", async () => {
    const body = [
      JSON.stringify(line({ service: "hostile" })),
      JSON.stringify(line({ service: "hostile", route: "/a\u0000b" })),
      JSON.stringify(line({ service: "hostile\u0000" })),
      JSON.stringify(line({ service: "hostile", region: "prod\u0007eu" })),
      JSON.stringify(
        line({ service: "hostile", endpoint: "GET /x\u0000", method: undefined, route: undefined }),
      ),
      JSON.stringify({ ...line({ service: "hostile" }), traceId: "\u0000" }),
      JSON.stringify(line({ service: "hostile", route: "/tab\u0009" })),
      JSON.stringify(line({ service: "hostile", route: "/ok" })),
    ].join("\n");
    const res = await post(stack, body);
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toBe(6);
    expect(res.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [2, "route"],
      [3, "service"],
      [4, "region"],
      [5, "endpoint"],
      [6, "traceId"],
      [7, "route"],
    ]);
    expect(res.body.errors[0].message).toMatch(/control character \(U\+0000\) at position 3/);
    expect(await stored(stack, "hostile")).toBe(2);
  });

  it("a bad line quoted in its error (NUL, unpaired surrogate) is stored and replayed under an Idempotency-Key", async () => {
    // JSON.parse quotes the raw line, NUL included; the ts message quotes 40 characters, which can end inside
    // a surrogate pair or hold an escaped unpaired one. jsonb refuses both, and the answer is stored as jsonb.
    const body = Buffer.concat([
      Buffer.from(JSON.stringify(line({ service: "hostile" })) + "\n"),
      Buffer.from([0xff, 0xfe, 0x00, 0x0a]),
      Buffer.from(`{"ts":"\\ud800 not a time at all","service":"hostile"}\n`),
      Buffer.from(`{"ts":"${"x".repeat(39)}\u{1F600}","service":"hostile"}\n`),
      Buffer.from(JSON.stringify(line({ service: "hostile", route: "/quoted" })) + "\n"),
    ]);
    const first = await post(stack, body, { "idempotency-key": "quoted-nul-1" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: 2, rejected: 3 });
    expect(first.body.errors.map((e: { line: number }) => e.line)).toEqual([2, 3, 4]);
    expect(first.body.errors[0].message).toContain("\\u0000");
    expect(first.body.errors[1]).toMatchObject({ field: "ts", message: expect.stringContaining("U+D800") });
    expect(first.body.errors[2].message).toContain(`'${"x".repeat(39)}\\ud83d'`);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    for (const e of first.body.errors) expect(e.message).not.toMatch(/[\u0000-\u001f\ud800-\udfff]/);
    const again = await post(stack, body, { "idempotency-key": "quoted-nul-1" });
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.body).toEqual(first.body);
  });

  it("NUL in an OTLP span refuses that span only (JSON)", async () => {
    const res = await postOtlp(stack, {
      resourceSpans: [
        {
          resource: { attributes: [kv("service.name", "hostile"), kv("cloud.region", "prod-eu")] },
          scopeSpans: [
            {
              spans: [
                span("/good"),
                span("/bad\u0000"),
                { ...span("/named"), name: "GET \u0000" },
                span("/good2", [kv("user_agent.original", "curl\u0000")]),
              ],
            },
          ],
        },
        {
          resource: { attributes: [kv("service.name", "hostile\u0000"), kv("cloud.region", "prod-eu")] },
          scopeSpans: [{ spans: [span("/good")] }],
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(1);
    expect(res.body.rejected).toBe(4);
    expect(res.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [2, "http.route"],
      [3, "name"],
      [4, "user_agent.original"],
      [5, "service.name"],
    ]);
  });

  it("a filter with NUL is refused with a 400 naming the field", async () => {
    // An escaped NUL inside a literal reaches the filter parser; a raw one is refused by the API's guard on every
    // body first (its field is the JSON path of the body).
    for (const [good, total, field] of [
      ['route = "\\u0000"', "true", "sli.good"],
      ["true", 'region = "eu\u0000"', "body.sli.total"],
      ["status < 500\u0000", "true", "body.sli.good"],
    ] as const) {
      const res = await call(stack, "POST", "/api/v1/slos", {
        service: "hostile",
        name: "nul filter",
        sli: { type: "ratio", good, total },
        objectivePercent: 99,
      });
      expect(res.status).toBe(400);
      expect(res.body!.error.details.field).toBe(field);
      expect(res.body!.error.message).toMatch(/control character \(?U\+0000/);
    }
  });

  it("a burst of new endpoints and regions beyond the per-service caps is refused line by line", async () => {
    const put = await call(stack, "PUT", "/api/v1/services/burst/default-slos", {
      availability: { objectivePercent: 99 },
      latency: { objectivePercent: 95, thresholdMs: 300 },
      reason: "defaults for every endpoint",
    });
    expect(put.status).toBe(200);
    const lines = Array.from({ length: 1000 }, (_, i) => line({ service: "burst", route: `/new/${i}` }));
    const res = await post(stack, ndjson(lines));
    expect(res.status).toBe(200);
    expect(res.body.accepted).toBe(200);
    expect(res.body.rejected).toBe(800);
    expect(res.body.errors).toHaveLength(800);
    expect(res.body.errors[0]).toMatchObject({ line: 201, field: "route" });
    expect(res.body.errors[0].message).toContain("already has 200 endpoints");
    expect(res.body.errors.at(-1).line).toBe(1000);
    // Known endpoints still go in; new ones stay out.
    const more = await post(
      stack,
      ndjson([line({ service: "burst", route: "/new/3" }), line({ service: "burst", route: "/new/5000" })]),
    );
    expect([more.body.accepted, more.body.rejected]).toEqual([1, 1]);
    const [eps] = await sqlRows<{ n: number }>(
      stack.db,
      `SELECT count(*)::int AS n FROM endpoints e JOIN services s ON s.id = e.service_id WHERE s.slug = 'burst'`,
    );
    expect(eps!.n).toBe(200);
    // The default SLOs are bounded by the cap: two per endpoint.
    const [slos] = await sqlRows<{ n: number }>(
      stack.db,
      `SELECT count(*)::int AS n FROM slos x JOIN services s ON s.id = x.service_id WHERE s.slug = 'burst'`,
    );
    expect(slos!.n).toBeLessThanOrEqual(400);

    const regions = Array.from({ length: 10 }, (_, i) =>
      line({ service: "burst", route: "/new/1", region: `zone-${i}` }),
    );
    const r = await post(stack, ndjson(regions));
    // prod-eu was the service's first region: 5 more fit.
    expect([r.body.accepted, r.body.rejected]).toEqual([5, 5]);
    expect(r.body.errors.map((e: { line: number; field: string }) => [e.line, e.field])).toEqual([
      [6, "region"],
      [7, "region"],
      [8, "region"],
      [9, "region"],
      [10, "region"],
    ]);
    const [zones] = await sqlRows<{ n: number }>(
      stack.db,
      `SELECT count(*)::int AS n FROM regions WHERE slug LIKE 'zone-%'`,
    );
    expect(zones!.n).toBe(5);
  });

  it("answers 429 with Retry-After, at once, when ingest is at capacity", async () => {
    const small = await startStack({ apiEnv: { BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: "1" } });
    try {
      // One request holds the only slot: its body arrives slowly.
      const held = request(`${small.baseUrl}/api/v1/ingest/requests`, {
        method: "POST",
        headers: { authorization: `Bearer ${small.token}`, "content-length": "100000" },
      });
      held.on("error", () => undefined);
      held.write("{");
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      const res = await post(small, ndjson([line()]));
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.body.error.code).toBe("rate_limited");
      expect(Date.now() - t0).toBeLessThan(5000);
      held.destroy();
      // The slot is given back when the client goes away.
      let after = 0;
      for (let i = 0; i < 50 && after !== 400; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = (await post(small, "not json\n")).status === 200 ? 400 : 0;
      }
      expect(after).toBe(400);
    } finally {
      await small.stop();
    }
  });

  it("a client sending Expect: 100-continue is refused before it uploads, or admitted with 100 Continue", async () => {
    const small = await startStack({ apiEnv: { BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: "1" } });
    /** POST with `Expect: 100-continue`: the body is written only after 100 Continue. */
    const expectContinue = (body: string) =>
      new Promise<{ status: number; continued: boolean; retryAfter?: string; body: string }>(
        (resolve, reject) => {
          let continued = false;
          const req = request(`${small.baseUrl}/api/v1/ingest/requests`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${small.token}`,
              "content-length": String(Buffer.byteLength(body)),
              expect: "100-continue",
            },
          });
          req.on("continue", () => {
            continued = true;
            req.end(body);
          });
          req.on("response", (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (c: string) => (text += c));
            res.on("end", () => {
              resolve({
                status: res.statusCode ?? 0,
                continued,
                retryAfter: res.headers["retry-after"] as string | undefined,
                body: text,
              });
              req.destroy();
            });
          });
          req.on("error", reject);
          req.flushHeaders();
        },
      );
    try {
      await call(small, "POST", "/api/v1/teams", { slug: "ops", name: "Ops" });
      await call(small, "POST", "/api/v1/services", { slug: "shop", name: "shop", team: "ops" });
      const admitted = await expectContinue(ndjson([line({ service: "shop" })]));
      expect(admitted).toMatchObject({ status: 200, continued: true });
      expect(JSON.parse(admitted.body)).toMatchObject({ accepted: 1, rejected: 0 });
      // The only slot is held by a body that arrives slowly.
      const held = request(`${small.baseUrl}/api/v1/ingest/requests`, {
        method: "POST",
        headers: { authorization: `Bearer ${small.token}`, "content-length": "100000" },
      });
      held.on("error", () => undefined);
      held.write("{");
      await new Promise((r) => setTimeout(r, 300));
      const refused = await expectContinue(ndjson([line({ service: "shop" })]));
      expect(refused).toMatchObject({ status: 429, continued: false, retryAfter: "1" });
      expect(JSON.parse(refused.body).error.code).toBe("rate_limited");
      held.destroy();
      // The slot comes back, and one taken while answering 100-continue is given back after its answer.
      let again = { status: 0, continued: false };
      for (let i = 0; i < 50 && again.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        again = await expectContinue(ndjson([line({ service: "shop" })]));
      }
      expect(again).toMatchObject({ status: 200, continued: true });
      expect((await expectContinue(ndjson([line({ service: "shop" })]))).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it("answers 503 with Retry-After, not 500, while Postgres is unreachable", async () => {
    const config = loadApiConfig({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nothing",
      REDIS_URL,
      LOG_LEVEL: "silent",
      BURNRATE_QUEUE_PREFIX: `${stack.prefix}-down`,
    });
    const db = createDb({ databaseUrl: config.DATABASE_URL });
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const jobs = createJobQueues({ connection: redis, prefix: config.BURNRATE_QUEUE_PREFIX });
    const app = await buildApp({ config, db, redis, enqueue: jobs.enqueue, logger: false });
    try {
      for (const [url, type, payload] of [
        ["/api/v1/ingest/requests", "application/x-ndjson", ndjson([line()])],
        ["/v1/traces", "application/json", JSON.stringify({ resourceSpans: [] })],
      ] as const) {
        const res = await app.inject({
          method: "POST",
          url,
          headers: { authorization: `Bearer ${stack.token}`, "content-type": type, "idempotency-key": "k1" },
          payload,
        });
        expect(res.statusCode).toBe(503);
        expect(res.headers["retry-after"]).toBe("5");
        expect(res.json().error.code).toBe("unavailable");
      }
    } finally {
      await app.close();
      await jobs.close();
      redis.disconnect();
      await db.$disconnect();
    }
  });
});

function kv(key: string, value: string) {
  return { key, value: { stringValue: value } };
}

function span(route: string, extra: object[] = []) {
  const start = BigInt(NOW - 60_000) * 1_000_000n;
  return {
    name: "GET",
    kind: 2,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 5_000_000n),
    attributes: [
      kv("http.request.method", "GET"),
      kv("http.route", route),
      ...extra,
      { key: "http.response.status_code", value: { intValue: "200" } },
    ],
  };
}

async function postOtlp(stack: Stack, body: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.baseUrl}/v1/traces`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
