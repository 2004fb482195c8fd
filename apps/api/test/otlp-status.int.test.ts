import { request } from "node:http";
import { encodeExportTraceServiceRequest, type OtlpTracesRequest } from "@burnrate/ingest";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startStack, type Stack } from "./harness";

/**
 * OTLP/HTTP failure answers, decoded as a client would: protobufjs with googleapis' own message definitions
 * (google/rpc/status.proto, error_details.proto), not Burnrate's encoder.
 */
const RPC_PROTO = `
syntax = "proto3";
package google.rpc;
import "google/protobuf/any.proto";
import "google/protobuf/duration.proto";
message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
message ErrorInfo { string reason = 1; string domain = 2; map<string, string> metadata = 3; }
message BadRequest {
  message FieldViolation { string field = 1; string description = 2; }
  repeated FieldViolation field_violations = 1;
}
message RetryInfo { google.protobuf.Duration retry_delay = 1; }
`;
const root = new protobuf.Root();
for (const file of ["google/protobuf/any.proto", "google/protobuf/duration.proto"])
  root.addJSON(protobuf.common.get(file)!.nested!);
protobuf.parse(RPC_PROTO, root);
const Status = root.lookupType("google.rpc.Status");

interface Decoded {
  code: number;
  message: string;
  details: Record<string, Record<string, unknown>>;
}

/** A binary google.rpc.Status with its Any details unpacked by type. */
function decodeStatus(buf: Uint8Array): Decoded {
  const s = Status.toObject(Status.decode(buf), { defaults: true, longs: Number }) as {
    code: number;
    message: string;
    // protobufjs's bundled any.proto keeps the field's proto name
    details: { type_url: string; value: Uint8Array }[];
  };
  const details: Decoded["details"] = {};
  for (const any of s.details) {
    const name = any.type_url.replace("type.googleapis.com/", "");
    const type = root.lookupType(name);
    details[name] = type.toObject(type.decode(any.value), { defaults: true, longs: Number });
  }
  return { code: s.code, message: s.message, details };
}

const NOW = Date.now();

function traces(method: string): OtlpTracesRequest {
  const start = BigInt(NOW - 60_000) * 1_000_000n;
  const kv = (key: string, stringValue: string) => ({ key, value: { stringValue } });
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv("service.name", "shop"), kv("cloud.region", "prod-eu")] },
        scopeSpans: [
          {
            spans: [
              {
                name: method,
                kind: 2,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 5_000_000n),
                attributes: [
                  kv("http.request.method", method),
                  kv("http.request.method_original", "PURGE"),
                  kv("http.route", "/cache/{key}"),
                  { key: "http.response.status_code", value: { intValue: 204 } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
}

describe("OTLP/HTTP failure answers", () => {
  let stack: Stack;
  beforeAll(async () => {
    // One ingest request in flight at a time, so that a held request makes the next one a 429.
    stack = await startStack({ apiEnv: { BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: "1" } });
    await call(stack, "POST", "/api/v1/teams", { slug: "ops", name: "Ops" });
    await call(stack, "POST", "/api/v1/services", { slug: "shop", name: "shop", team: "ops" });
  });
  afterAll(async () => {
    expect(stack.statuses.filter((s) => s >= 500)).toEqual([]);
    await stack?.stop();
  });

  const PROTO = "application/x-protobuf";
  async function post(body: Uint8Array | string, headers: Record<string, string>) {
    const res = await fetch(`${stack.baseUrl}/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.token}`, ...headers },
      body,
    });
    return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  it("accepts semconv's _OTHER method, kept as its own endpoint", async () => {
    const res = await post(encodeExportTraceServiceRequest(traces("_OTHER")), { "content-type": PROTO });
    expect(res.status).toBe(200);
    expect(res.bytes.length).toBe(0); // nothing rejected
    const endpoints = await stack.db.$queryRawUnsafe<{ method: string; route: string }[]>(
      `SELECT method, route FROM endpoints`,
    );
    expect(endpoints).toEqual([{ method: "_OTHER", route: "/cache/{key}" }]);
  });

  it("400: a protobuf Status naming the field", async () => {
    const res = await post(Uint8Array.from([0x0a, 0x7f, 0x01]), { "content-type": PROTO });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe(PROTO);
    const s = decodeStatus(res.bytes);
    expect(s.code).toBe(3); // INVALID_ARGUMENT
    expect(s.message).toMatch(/not a valid ExportTraceServiceRequest/);
    expect(s.details["google.rpc.ErrorInfo"]).toEqual({
      reason: "VALIDATION_ERROR",
      domain: "burnrate",
      metadata: { field: "body" },
    });
    expect(s.details["google.rpc.BadRequest"]).toEqual({
      fieldViolations: [{ field: "body", description: s.message }],
    });
  });

  it("401: a protobuf Status", async () => {
    const res = await post(encodeExportTraceServiceRequest(traces("GET")), {
      "content-type": PROTO,
      authorization: "Bearer brt_not_a_real_token_at_all",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe(PROTO);
    const s = decodeStatus(res.bytes);
    expect(s.code).toBe(16); // UNAUTHENTICATED
    expect(s.message).toBe("invalid or revoked token");
    expect(s.details["google.rpc.ErrorInfo"]?.reason).toBe("UNAUTHORIZED");
  });

  it("413: a protobuf Status", async () => {
    const res = await post(new Uint8Array(4 * 1024 * 1024 + 1), { "content-type": PROTO });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe(PROTO);
    const s = decodeStatus(res.bytes);
    expect(s.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(s.message).toMatch(/larger than the limit/);
  });

  it("415: a protobuf Status, for an unsupported Content-Encoding and for a protobuf client's Accept", async () => {
    const br = await post(encodeExportTraceServiceRequest(traces("GET")), {
      "content-type": PROTO,
      "content-encoding": "br",
    });
    expect(br.status).toBe(415);
    expect(br.headers.get("content-type")).toBe(PROTO);
    expect(decodeStatus(br.bytes)).toMatchObject({ code: 3, message: /Content-Encoding 'br'/ });
    const type = await post("x", { "content-type": "text/plain", accept: PROTO });
    expect(type.status).toBe(415);
    expect(decodeStatus(type.bytes).message).toMatch(/Content-Type 'text\/plain' is not OTLP/);
  });

  it("a JSON request gets a JSON Status, with the usual error object", async () => {
    const res = await post("{", { "content-type": "application/json" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = JSON.parse(Buffer.from(res.bytes).toString());
    expect(body).toMatchObject({
      code: 3,
      message: expect.stringMatching(/not valid JSON/),
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "VALIDATION_ERROR",
          domain: "burnrate",
        },
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [{ field: "body", description: expect.stringMatching(/not valid JSON/) }],
        },
      ],
      error: { code: "validation_error", details: { field: "body" } },
    });
    // protobufjs reads the Status fields of the JSON answer (its own `error` object aside).
    const { error: _error, details: _details, ...status } = body;
    expect(Status.toObject(Status.fromObject(status))).toMatchObject({ code: 3 });
  });
  it("429: a protobuf Status with RetryInfo, on the usual path and on Expect: 100-continue", async () => {
    const held = request(`${stack.baseUrl}/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.token}`, "content-type": PROTO, "content-length": "100000" },
    });
    held.on("error", () => undefined);
    held.write("\n");
    await new Promise((r) => setTimeout(r, 300));
    try {
      const res = await post(encodeExportTraceServiceRequest(traces("GET")), { "content-type": PROTO });
      expect(res.status).toBe(429);
      expect(res.headers.get("content-type")).toBe(PROTO);
      expect(res.headers.get("retry-after")).toBe("1");
      const s = decodeStatus(res.bytes);
      expect(s.code).toBe(8); // RESOURCE_EXHAUSTED
      expect(s.details["google.rpc.RetryInfo"]).toEqual({ retryDelay: { seconds: 1, nanos: 0 } });

      const early = await new Promise<{ status: number; type: string; bytes: Buffer }>((resolve, reject) => {
        const req = request(`${stack.baseUrl}/v1/traces`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${stack.token}`,
            "content-type": PROTO,
            "content-length": "3",
            expect: "100-continue",
          },
        });
        req.on("error", reject);
        req.on("continue", () => req.end(Buffer.from([0, 0, 0])));
        req.on("response", (r) => {
          const chunks: Buffer[] = [];
          r.on("data", (c: Buffer) => chunks.push(c));
          r.on("end", () =>
            resolve({
              status: r.statusCode!,
              type: String(r.headers["content-type"]),
              bytes: Buffer.concat(chunks),
            }),
          );
        });
        req.flushHeaders();
      });
      expect(early.status).toBe(429);
      expect(early.type).toBe(PROTO);
      expect(decodeStatus(early.bytes)).toMatchObject({ code: 8 });
    } finally {
      held.destroy();
    }
  });
});
