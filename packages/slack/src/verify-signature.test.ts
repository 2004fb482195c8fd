import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySlackSignature } from "./verify-signature";

const secret = "8f742231b10e8888abcd99yyyzzz85a5";
const sign = (ts: string, body: string, s = secret) =>
  "v0=" + createHmac("sha256", s).update(`v0:${ts}:${body}`).digest("hex");

describe("verifySlackSignature", () => {
  const nowMs = 1_700_000_000_000;
  const ts = String(nowMs / 1000);
  const body = "payload=%7B%22type%22%3A%22block_actions%22%7D";

  it("accepts Slack's v0 HMAC-SHA256 over v0:timestamp:body", () => {
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: ts,
        signature: sign(ts, body),
        rawBody: body,
        nowMs,
      }),
    ).toEqual({ ok: true });
  });
  it("refuses a forged signature, a changed body and a missing header", () => {
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: ts,
        signature: sign(ts, body, "other"),
        rawBody: body,
        nowMs,
      }).ok,
    ).toBe(false);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: ts,
        signature: sign(ts, body),
        rawBody: body + "x",
        nowMs,
      }).ok,
    ).toBe(false);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: undefined,
        signature: sign(ts, body),
        rawBody: body,
        nowMs,
      }).ok,
    ).toBe(false);
  });
  it("refuses timestamps more than 5 minutes old, and accepts one just inside", () => {
    const old = String(nowMs / 1000 - 301);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: old,
        signature: sign(old, body),
        rawBody: body,
        nowMs,
      }),
    ).toEqual({ ok: false, reason: "stale timestamp" });
    const edge = String(nowMs / 1000 - 299);
    expect(
      verifySlackSignature({
        signingSecret: secret,
        timestamp: edge,
        signature: sign(edge, body),
        rawBody: body,
        nowMs,
      }).ok,
    ).toBe(true);
  });
});
