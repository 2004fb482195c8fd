import { describe, expect, it } from "vitest";
import type { OtlpTracesRequest } from "./otlp-types";
import { OtlpShapeError, spansToRecords } from "./span-mapping";
import { decodeExportTraceServiceRequest, encodeExportTraceServiceRequest } from "./trace-request";
import { decodeExportTraceServiceResponse, encodeExportTraceServiceResponse } from "./trace-response";
import { OtlpDecodeError } from "./wire-reader";

/** ASCII only, by hand: fixtures must not depend on the code under test. */
const enc = (s: string) =>
  [...s].map((c) => {
    expect(c.charCodeAt(0)).toBeLessThan(128);
    return c.charCodeAt(0);
  });
/** A varint of up to 14 bits, written out by hand. */
const v14 = (n: number) => {
  expect(n).toBeLessThan(1 << 14);
  return n < 128 ? [n] : [(n & 0x7f) | 0x80, n >> 7];
};
/** A length-delimited field: tag byte, varint length, payload. */
const ld = (tag: number, payload: number[]) => [tag, ...v14(payload.length), ...payload];
const fixed64 = (tag: number, v: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return [tag, ...b];
};
/** KeyValue{1:key, 2:AnyValue{1:string}} */
const kvStr = (k: string, v: string) => ld(0x0a, [...ld(0x0a, enc(k)), ...ld(0x12, ld(0x0a, enc(v)))]);
/** KeyValue{1:key, 2:AnyValue{3:int (varint)}} with a one-or-two-byte varint */
const kvInt = (k: string, v: number) => {
  return ld(0x0a, [...ld(0x0a, enc(k)), ...ld(0x12, [0x18, ...v14(v)])]);
};

describe("OTLP protobuf decoder", () => {
  // Hand-assembled from opentelemetry-proto field numbers, independently of the encoder under test:
  // tag = field << 3 | wire type. Span: 5 name (0x2a), 6 kind (0x30), 7 start fixed64 (0x39), 8 end (0x41),
  // 9 attributes (0x4a). ResourceSpans: 1 resource (0x0a), 2 scope_spans (0x12). ScopeSpans: 2 spans (0x12).
  const start = 1_700_000_000_123_456_789n;
  const end = start + 300_000_000n; // 300 ms
  const span = [
    ...ld(0x0a, Array(16).fill(1)), // trace_id (skipped)
    ...ld(0x2a, enc("GET /cart")),
    0x30,
    2,
    ...fixed64(0x39, start),
    ...fixed64(0x41, end),
  ];
  // Span.attributes is field 9: re-tag each KeyValue (kvStr/kvInt build it under tag 0x0a, length < 128)
  const asAttr = (kv: number[]) => [0x4a, ...kv.slice(1)];
  const spanWithAttrs = [
    ...span,
    ...asAttr(kvStr("http.request.method", "GET")),
    ...asAttr(kvStr("http.route", "/cart/{id}")),
    ...asAttr(kvInt("http.response.status_code", 503)),
    0x78, // field 15 (status) wire 0 — an unknown-to-us varint field, must be skipped
    1,
  ];
  const resource = [...kvStr("service.name", "checkout"), ...kvStr("cloud.region", "prod-eu")];
  const rs = [...ld(0x0a, resource), ...ld(0x12, ld(0x12, spanWithAttrs)), ...ld(0x1a, enc("https://x"))];
  const bytes = Uint8Array.from([...ld(0x0a, rs)]);

  it("decodes a hand-assembled ExportTraceServiceRequest", () => {
    const req = decodeExportTraceServiceRequest(bytes);
    expect(req).toEqual({
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: "service.name", value: { stringValue: "checkout" } },
              { key: "cloud.region", value: { stringValue: "prod-eu" } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  name: "GET /cart",
                  kind: 2,
                  startTimeUnixNano: start.toString(),
                  endTimeUnixNano: end.toString(),
                  attributes: [
                    { key: "http.request.method", value: { stringValue: "GET" } },
                    { key: "http.route", value: { stringValue: "/cart/{id}" } },
                    { key: "http.response.status_code", value: { intValue: "503" } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it("round-trips through the encoder byte-for-byte on the fields it knows", () => {
    const req = decodeExportTraceServiceRequest(bytes);
    expect(decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(req))).toEqual(req);
  });

  it("decodes negative int64, bool and double attribute values", () => {
    const req: OtlpTracesRequest = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  kind: 1,
                  attributes: [
                    { key: "a", value: { intValue: "-5" } },
                    { key: "b", value: { boolValue: true } },
                    { key: "c", value: { doubleValue: 2.5 } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const back = decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(req));
    expect(back.resourceSpans![0]!.scopeSpans![0]!.spans![0]!.attributes).toEqual([
      { key: "a", value: { intValue: "-5" } },
      { key: "b", value: { boolValue: true } },
      { key: "c", value: { doubleValue: 2.5 } },
    ]);
  });

  it("refuses truncated and malformed bodies with a position", () => {
    expect(() => decodeExportTraceServiceRequest(bytes.subarray(0, bytes.length - 3))).toThrow(
      OtlpDecodeError,
    );
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x0b]))).toThrow(/wire type 3/);
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x10, 1]))).not.toThrow(); // unknown varint field 2
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x08, 1]))).toThrow(
      /wire type 0, expected 2/,
    );
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x11, 1, 2]))).toThrow(/truncated fixed64/);
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0x0a, 0x05, 1]))).toThrow(/runs past/);
    expect(() => decodeExportTraceServiceRequest(Uint8Array.from([0xff, 0xff]))).toThrow(/truncated varint/);
    expect(decodeExportTraceServiceRequest(new Uint8Array(0))).toEqual({ resourceSpans: [] });
  });

  it("encodes the response: empty when all accepted, partial_success otherwise", () => {
    expect(encodeExportTraceServiceResponse(undefined).length).toBe(0);
    const b = encodeExportTraceServiceResponse({ rejectedSpans: 300, errorMessage: "x" });
    // 0x0a len { 0x08 varint(300)=0xac 0x02, 0x12 0x01 'x' }
    expect([...b]).toEqual([0x0a, 0x06, 0x08, 0xac, 0x02, 0x12, 0x01, 0x78]);
    expect(decodeExportTraceServiceResponse(b)).toEqual({
      partialSuccess: { rejectedSpans: 300, errorMessage: "x" },
    });
  });
});

describe("spansToRecords", () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const t = BigInt(now - 60_000) * 1_000_000n;
  const span = (attributes: { key: string; value: object }[], o: object = {}) => ({
    kind: 2,
    startTimeUnixNano: t.toString(),
    endTimeUnixNano: (t + 300_500_000n).toString(),
    attributes,
    ...o,
  });
  const http = [
    { key: "http.request.method", value: { stringValue: "GET" } },
    { key: "http.route", value: { stringValue: "/cart" } },
    { key: "http.response.status_code", value: { intValue: 200 } },
  ];
  const req = (
    spans: object[],
    resource = [{ key: "service.name", value: { stringValue: "Checkout" } }],
  ) => ({
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans }] }],
  });

  it("maps a server span per PRODUCT.md and ignores other kinds", () => {
    const m = spansToRecords(
      req([
        span([...http, { key: "cloud.region", value: { stringValue: "prod-eu" } }]),
        span(http, { kind: 3 }),
        span([...http, { key: "deployment.environment.name", value: { stringValue: "staging" } }]),
        span([...http, { key: "deployment.environment", value: { stringValue: "legacy" } }]),
      ]),
      now,
    );
    expect(m.ignored).toBe(1);
    expect(m.rejected).toBe(0);
    expect(m.records).toEqual([
      {
        line: 1,
        r: {
          tsMs: now - 60_000,
          service: "checkout",
          method: "GET",
          route: "/cart",
          region: "prod-eu",
          status: 200,
          durationMs: 300.5,
        },
      },
      { line: 3, r: expect.objectContaining({ region: "staging" }) },
      { line: 4, r: expect.objectContaining({ region: "legacy" }) },
    ]);
  });

  it("rejects a span per field, naming it, and keeps the others", () => {
    const region = { key: "cloud.region", value: { stringValue: "prod-eu" } };
    const m = spansToRecords(
      req([
        span([http[0]!, http[2]!, region]), // no route
        span([http[0]!, http[1]!, region]), // no status
        span([...http, region], { endTimeUnixNano: "5" }), // ends before it starts
        span([...http, region], {
          startTimeUnixNano: String(BigInt(now + 3600_000) * 1_000_000n),
          endTimeUnixNano: String(BigInt(now + 3600_001) * 1_000_000n),
        }),
        span([http[0]!, http[1]!, { key: "http.response.status_code", value: { intValue: 999 } }, region]),
        span([...http]), // no region
        span([...http, region]),
        "nope" as unknown as object,
      ]),
      now,
    );
    expect(m.records.map((x) => x.line)).toEqual([7]);
    expect(m.rejected).toBe(7);
    expect(m.errors.map((e) => [e.line, e.field])).toEqual([
      [1, "http.route"],
      [2, "http.response.status_code"],
      [3, "endTimeUnixNano"],
      [4, "startTimeUnixNano"],
      [5, "http.response.status_code"],
      [6, "cloud.region"],
      [8, "span"],
    ]);
    expect(m.errors[3]!.message).toMatch(/^startTimeUnixNano: .*future/);
  });

  it("keeps semconv's _OTHER method as its own endpoint and names an unknown method", () => {
    const region = { key: "cloud.region", value: { stringValue: "prod-eu" } };
    const method = (v: string) => ({ key: "http.request.method", value: { stringValue: v } });
    const m = spansToRecords(
      req([
        span([method("_OTHER"), http[1]!, http[2]!, region]),
        span([method("PURGE"), http[1]!, http[2]!, region]),
      ]),
      now,
    );
    expect(m.records).toEqual([
      { line: 1, r: expect.objectContaining({ method: "_OTHER", route: "/cart" }) },
    ]);
    expect(m.errors).toEqual([
      expect.objectContaining({
        line: 2,
        field: "http.request.method",
        message: expect.stringMatching(/^http\.request\.method: 'PURGE' is not an HTTP method \(.*_OTHER\)$/),
      }),
    ]);
  });

  it("refuses a body that is not an OTLP request, naming the field", () => {
    expect(() => spansToRecords([], now)).toThrow(OtlpShapeError);
    expect(() => spansToRecords({ resourceSpans: {} }, now)).toThrow(/resourceSpans: must be an array/);
    expect(() => spansToRecords({ resourceSpans: [{ scopeSpans: [{ spans: 3 }] }] }, now)).toThrow(
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans/,
    );
  });
});
