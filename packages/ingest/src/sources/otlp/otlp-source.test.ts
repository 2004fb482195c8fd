import { ValidationError } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { otlpSource } from "./otlp-source";
import type { OtlpTracesRequest } from "./otlp-types";
import { encodeExportTraceServiceRequest } from "./trace-request";

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);
const startNs = BigInt(NOW - 60_000) * 1_000_000n;
const attr = (key: string, v: string | number) => ({
  key,
  value: typeof v === "string" ? { stringValue: v } : { intValue: String(v) },
});
const request: OtlpTracesRequest = {
  resourceSpans: [
    {
      resource: { attributes: [attr("service.name", "checkout"), attr("cloud.region", "prod-eu")] },
      scopeSpans: [
        {
          spans: [
            {
              kind: 2,
              startTimeUnixNano: startNs.toString(),
              endTimeUnixNano: (startNs + 25_000_000n).toString(),
              attributes: [
                attr("http.request.method", "GET"),
                attr("http.route", "/cart/{id}"),
                attr("http.response.status_code", 200),
              ],
            },
            { kind: 3, startTimeUnixNano: "1", endTimeUnixNano: "2" },
            {
              kind: 2,
              startTimeUnixNano: startNs.toString(),
              endTimeUnixNano: startNs.toString(),
              attributes: [attr("http.request.method", "GET"), attr("http.response.status_code", 200)],
            },
          ],
        },
      ],
    },
  ],
};

/** The ValidationError a read throws, as { message, details }. */
function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return { message: (e as ValidationError).message, details: (e as ValidationError).details };
  }
  throw new Error("expected a ValidationError");
}

describe("otlpSource", () => {
  it.each(["json", "protobuf"] as const)(
    "reads a %s body: server spans, ignored spans, span errors",
    (encoding) => {
      const body =
        encoding === "json" ? Buffer.from(JSON.stringify(request)) : encodeExportTraceServiceRequest(request);
      const { batch, ignored } = otlpSource.read(body, NOW, { encoding });
      expect(ignored).toBe(1);
      expect(batch.n).toBe(1);
      expect(batch.recordAt(0)).toMatchObject({
        line: 1,
        service: "checkout",
        route: "/cart/{id}",
        status: 200,
      });
      expect(batch.rejected).toBe(1);
      expect(batch.errors).toEqual([
        {
          line: 3,
          field: "http.route",
          message: "http.route: required on server spans (the route template, e.g. /cart/{id})",
        },
      ]);
    },
  );

  it("names the OTLP attributes in errors found after reading", () => {
    expect(otlpSource.fieldNames).toEqual({ route: "http.route", region: "cloud.region" });
  });

  it("refuses a body it cannot read as a whole, as the API answers it (400)", () => {
    expect(refusal(() => otlpSource.read(Buffer.from("{"), NOW, { encoding: "json" }))).toEqual({
      message: expect.stringMatching(/^body is not valid JSON: /),
      details: { field: "body" },
    });
    expect(
      refusal(() => otlpSource.read(Uint8Array.from([0x0a, 0x05]), NOW, { encoding: "protobuf" })),
    ).toEqual({
      message: expect.stringMatching(/^body is not a valid ExportTraceServiceRequest: length 5 at byte 2/),
      details: { field: "body" },
    });
    expect(
      refusal(() => otlpSource.read(Buffer.from('{"resourceSpans":{}}'), NOW, { encoding: "json" })),
    ).toEqual({
      message: "body field 'resourceSpans': must be an array",
      details: { field: "resourceSpans" },
    });
  });

  it("reads an empty JSON body as an empty request", () => {
    const { batch, ignored } = otlpSource.read(Buffer.alloc(0), NOW, { encoding: "json" });
    expect([batch.n, batch.rejected, ignored]).toEqual([0, 0, 0]);
  });
});
