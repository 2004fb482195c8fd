import { describe, expect, it } from "vitest";
import { encodeRpcStatus, rpcCodeForHttpStatus, rpcStatusOf } from "./rpc-status";

describe("rpcCodeForHttpStatus", () => {
  it.each([
    [400, 3],
    [401, 16],
    [403, 7],
    [404, 5],
    [409, 10],
    [413, 8],
    [415, 3],
    [429, 8],
    [499, 1],
    [500, 13],
    [503, 14],
    [504, 4],
    [418, 9],
  ])("HTTP %i is google.rpc.Code %i", (http, code) => {
    expect(rpcCodeForHttpStatus(http)).toBe(code);
  });
});

describe("rpcStatusOf", () => {
  it("names the field in ErrorInfo and BadRequest, and the delay in RetryInfo", () => {
    expect(rpcStatusOf(400, { code: "validation_error", message: "body: bad", field: "body" }, 2)).toEqual({
      code: 3,
      message: "body: bad",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.ErrorInfo",
          reason: "VALIDATION_ERROR",
          domain: "burnrate",
          metadata: { field: "body" },
        },
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [{ field: "body", description: "body: bad" }],
        },
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "2s" },
      ],
    });
    expect(rpcStatusOf(401, { code: "unauthorized", message: "no" }).details).toHaveLength(1);
  });
});

describe("encodeRpcStatus", () => {
  it("writes protobuf's wire format, field by field", () => {
    const hex = (s: string) => Buffer.from(s).toString("hex");
    const bytes = Buffer.from(
      encodeRpcStatus({
        code: 8,
        message: "hi",
        details: [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1s" }],
      }),
    ).toString("hex");
    const typeUrl = "type.googleapis.com/google.rpc.RetryInfo"; // 40 bytes
    // Status.code = 8; Status.message = "hi"; Status.details[0] = Any{type_url, value = RetryInfo{Duration{1 s}}}
    const retryInfo = "0a02" + "0801"; // retry_delay (len 2) { seconds: 1 }
    const any = "0a28" + hex(typeUrl) + "1204" + retryInfo;
    expect(bytes).toBe("0808" + "1202" + hex("hi") + "1a" + (any.length / 2).toString(16) + any);
  });
});
