import { gzipSync } from "node:zlib";
import {
  decodeExportTraceServiceResponse,
  encodeExportTraceServiceRequest,
  type OtlpKeyValue,
  type OtlpSpan,
  type OtlpTracesRequest,
} from "@burnrate/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, ndjson, startStack, type Stack } from "./harness";

/** the same requests as OTLP JSON, OTLP protobuf and NDJSON give identical rollups. */

interface Req {
  tsMs: number;
  method: string;
  route: string;
  region: string;
  status: number;
  /** Duration in whole nanoseconds, so every encoding carries it exactly. */
  durationNs: number;
}

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function requests(n: number, nowMs: number): Req[] {
  const rand = mulberry32(42);
  const routes = [
    ["GET", "/cart"],
    ["POST", "/cart/{id}/items"],
    ["GET", "/search"],
    ["DELETE", "/cart/{id}"],
  ] as const;
  const regions = ["prod-eu", "prod-us", "staging"];
  const statuses = [200, 200, 200, 201, 204, 301, 404, 429, 500, 502, 503, 504];
  // Durations at and just around histogram bounds, and anywhere.
  const edges = [0, 1, 300_000_000, 300_000_001, 299_999_999, 10_000_000, 60_000_000_000, 61_000_000_000];
  const out: Req[] = [];
  for (let i = 0; i < n; i++) {
    const [method, route] = routes[Math.floor(rand() * routes.length)]!;
    out.push({
      tsMs: nowMs - 1000 - Math.floor(rand() * 25 * 60_000),
      method,
      route,
      region: regions[Math.floor(rand() * regions.length)]!,
      status: statuses[Math.floor(rand() * statuses.length)]!,
      durationNs: rand() < 0.3 ? edges[Math.floor(rand() * edges.length)]! : Math.floor(rand() * 2e9),
    });
  }
  return out;
}

const str = (key: string, v: string): OtlpKeyValue => ({ key, value: { stringValue: v } });

/** OTLP request: one ResourceSpans per region (cloud.region on the resource), plus ignored client spans. */
function toOtlp(service: string, reqs: Req[], legacy: boolean): OtlpTracesRequest {
  const byRegion = new Map<string, Req[]>();
  for (const r of reqs) byRegion.set(r.region, [...(byRegion.get(r.region) ?? []), r]);
  return {
    resourceSpans: [...byRegion].map(([region, rs], k) => ({
      resource: {
        attributes: [
          str("service.name", service),
          // staging comes from deployment.environment.name: the fallback when cloud.region is absent
          region === "staging"
            ? str(legacy ? "deployment.environment" : "deployment.environment.name", region)
            : str("cloud.region", region),
        ],
      },
      scopeSpans: [
        {
          spans: rs.flatMap((r, i): OtlpSpan[] => {
            const start = BigInt(r.tsMs) * 1_000_000n;
            const server: OtlpSpan = {
              name: `${r.method} ${r.route}`,
              kind: 2,
              startTimeUnixNano: start.toString(),
              endTimeUnixNano: (start + BigInt(r.durationNs)).toString(),
              attributes: [
                str(legacy && i % 2 ? "http.method" : "http.request.method", r.method),
                str("http.route", r.route),
                {
                  key: legacy && i % 2 ? "http.status_code" : "http.response.status_code",
                  value: { intValue: i % 3 ? String(r.status) : r.status },
                },
                str("url.path", "/ignored/123"),
              ],
            };
            // a client span next to every tenth server span: not a request record
            return i % 10 === k % 10 ? [server, { ...server, kind: 3 }] : [server];
          }),
        },
      ],
    })),
  };
}

describe("OTLP/HTTP traces", () => {
  let stack: Stack;
  const services = ["via-ndjson", "via-otlp-json", "via-otlp-proto"];
  beforeAll(async () => {
    stack = await startStack();
    await call(stack, "POST", "/api/v1/teams", { slug: "shop", name: "Shop" });
    for (const s of services)
      await call(stack, "POST", "/api/v1/services", { slug: s, name: s, team: "shop" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  const post = (url: string, payload: Buffer | string, headers: Record<string, string>) =>
    stack.app.inject({
      method: "POST",
      url,
      headers: { authorization: `Bearer ${stack.token}`, ...headers },
      payload,
    });

  /** Rollups of one service, with ids replaced by names so that services compare. */
  async function rollupsOf(service: string) {
    return stack.db.$queryRawUnsafe<object[]>(
      `SELECT e.method, e.route, g.slug AS region, (extract(epoch FROM r.minute) * 1000)::bigint::text AS minute,
              r.status, r.count, r.latency
         FROM request_rollups r JOIN services s ON s.id = r.service_id
         JOIN endpoints e ON e.id = r.endpoint_id JOIN regions g ON g.id = r.region_id
        WHERE s.slug = $1 ORDER BY 1, 2, 3, 4, 5`,
      service,
    );
  }

  it("NDJSON, OTLP JSON and OTLP protobuf (gzip) give identical rollups", async () => {
    const now = Date.now();
    const reqs = requests(6000, now);
    const nd = await post(
      "/api/v1/ingest/requests",
      ndjson(
        reqs.map((r) => ({
          ts: r.tsMs,
          service: "via-ndjson",
          method: r.method,
          route: r.route,
          region: r.region,
          status: r.status,
          durationMs: r.durationNs / 1e6,
        })),
      ),
      { "content-type": "application/x-ndjson" },
    );
    expect(nd.statusCode).toBe(200);
    expect(JSON.parse(nd.body)).toMatchObject({ accepted: 6000, rejected: 0 });

    const js = await post("/v1/traces", JSON.stringify(toOtlp("via-otlp-json", reqs, false)), {
      "content-type": "application/json",
    });
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toMatch(/^application\/json/);
    const jsBody = JSON.parse(js.body);
    expect(jsBody).toMatchObject({ accepted: 6000, rejected: 0, errors: [] });
    expect(jsBody.ignored).toBeGreaterThan(500);
    expect(jsBody.partialSuccess).toBeUndefined();

    const pb = await post(
      "/v1/traces",
      gzipSync(encodeExportTraceServiceRequest(toOtlp("via-otlp-proto", reqs, true))),
      { "content-type": "application/x-protobuf", "content-encoding": "gzip" },
    );
    expect(pb.statusCode).toBe(200);
    expect(pb.headers["content-type"]).toMatch(/^application\/x-protobuf/);
    expect(pb.rawPayload.length).toBe(0); // ExportTraceServiceResponse with nothing rejected

    const [a, b, c] = await Promise.all(services.map(rollupsOf));
    expect(a!.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const total = (a as { count: number }[]).reduce((s, r) => s + r.count, 0);
    expect(total).toBe(6000);
  });

  it("rejects spans one by one and answers partial success in the request's encoding", async () => {
    const now = Date.now();
    const good = toOtlp("via-otlp-proto", requests(3, now), false);
    const spans = good.resourceSpans![0]!.scopeSpans![0]!.spans!;
    const server = spans.find((s) => s.kind === 2)!;
    spans.push(
      { ...server, attributes: server.attributes!.filter((a) => a.key !== "http.route") },
      { ...server, startTimeUnixNano: String(BigInt(now - 8 * 86_400_000) * 1_000_000n) },
    );
    good.resourceSpans!.push({
      resource: { attributes: [str("service.name", "not-registered"), str("cloud.region", "prod-eu")] },
      scopeSpans: [{ spans: [server] }],
    });
    const pb = await post("/v1/traces", Buffer.from(encodeExportTraceServiceRequest(good)), {
      "content-type": "application/x-protobuf",
    });
    expect(pb.statusCode).toBe(200);
    const res = decodeExportTraceServiceResponse(pb.rawPayload);
    expect(res.partialSuccess?.rejectedSpans).toBe(3);
    expect(res.partialSuccess?.errorMessage).toMatch(/http\.route: required/);
    expect(res.partialSuccess?.errorMessage).toMatch(/older than the 7-day/);
    expect(res.partialSuccess?.errorMessage).toMatch(/unknown service 'not-registered'/);

    const js = await post("/v1/traces", JSON.stringify(good), { "content-type": "application/json" });
    const body = JSON.parse(js.body);
    expect(body.rejected).toBe(3);
    expect(body.partialSuccess.rejectedSpans).toBe(3);
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      "http.route",
      "service",
      "startTimeUnixNano",
    ]);
  });

  it("refuses bodies that are not OTLP with a 4xx naming the problem", async () => {
    const bad = await post("/v1/traces", Buffer.from([0x0a, 0x7f, 0x01]), {
      "content-type": "application/x-protobuf",
    });
    expect(bad.statusCode).toBe(400);
    // a protobuf request's failure is a binary google.rpc.Status (otlp-status.int.test.ts decodes it in full)
    expect(bad.headers["content-type"]).toBe("application/x-protobuf");
    expect(bad.rawPayload.toString("latin1")).toMatch(/not a valid ExportTraceServiceRequest: .*runs past/);
    const notJson = await post("/v1/traces", "{", { "content-type": "application/json" });
    expect(notJson.statusCode).toBe(400);
    const shape = await post("/v1/traces", JSON.stringify({ resourceSpans: 5 }), {
      "content-type": "application/json",
    });
    expect(shape.statusCode).toBe(400);
    expect(JSON.parse(shape.body).error.message).toMatch(/resourceSpans/);
    const type = await post("/v1/traces", "x", { "content-type": "text/plain" });
    expect(type.statusCode).toBe(415);
    const noAuth = await stack.app.inject({
      method: "POST",
      url: "/v1/traces",
      headers: { "content-type": "application/json", authorization: "Bearer nope-nope-nope" },
      payload: "{}",
    });
    expect(noAuth.statusCode).toBe(401);
    const empty = await post("/v1/traces", "{}", { "content-type": "application/json" });
    expect(empty.statusCode).toBe(200);
  });
});
