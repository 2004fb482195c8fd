import { createHmac, timingSafeEqual } from "node:crypto";
import { MINUTE_MS } from "@burnrate/slo-core";

/** Slack refuses requests older than this; so do we (replay protection). */
export const SLACK_MAX_SKEW_MS = 5 * MINUTE_MS;

/** Verifies `X-Slack-Signature` (v0 = HMAC-SHA256 of "v0:{timestamp}:{body}" with the signing secret). */
export function verifySlackSignature(args: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowMs: number;
}): { ok: true } | { ok: false; reason: string } {
  const { timestamp, signature } = args;
  if (!timestamp || !signature)
    return { ok: false, reason: "missing X-Slack-Request-Timestamp or X-Slack-Signature" };
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: "bad timestamp" };
  if (Math.abs(args.nowMs - ts * 1000) > SLACK_MAX_SKEW_MS) return { ok: false, reason: "stale timestamp" };
  const expected =
    "v0=" + createHmac("sha256", args.signingSecret).update(`v0:${timestamp}:${args.rawBody}`).digest("hex");
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: "signature mismatch" };
  return { ok: true };
}
