import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { LockLostError } from "./dispatch-lock";
import { MAX_RATE_LIMIT_WAIT_MS, nextRetry } from "./retries";

/** Slack's answer to a rate-limited call, as @slack/web-api reports it. */
const ratelimited = (retryAfter: number) => ({
  code: "slack_webapi_platform_error",
  data: { error: "ratelimited", response_metadata: { retryAfter } },
});
const transient = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
const opts = { tries: 4, baseMs: 250 };

describe("nextRetry", () => {
  it.each([
    { name: "first failure", state: { failed: 0, waitedMs: 0 }, pauseMs: 250, failed: 1 },
    { name: "second failure: the pause doubles", state: { failed: 1, waitedMs: 0 }, pauseMs: 500, failed: 2 },
    { name: "third failure", state: { failed: 2, waitedMs: 0 }, pauseMs: 1000, failed: 3 },
  ])("$name → wait $pauseMs ms", ({ state, pauseMs, failed }) => {
    expect(nextRetry(transient, state, opts)).toEqual({ pauseMs, state: { failed, waitedMs: 0 } });
  });

  it("gives up after the last try", () => {
    expect(nextRetry(transient, { failed: 3, waitedMs: 0 }, opts)).toBeNull();
  });

  it("pauses at most 2 s", () => {
    expect(nextRetry(transient, { failed: 7, waitedMs: 0 }, { tries: 10, baseMs: 250 })?.pauseMs).toBe(2000);
  });

  it.each([
    { name: "a permanent refusal", error: new UnrecoverableError("slack: channel_not_found") },
    { name: "a lost lock", error: new LockLostError("connection terminated") },
  ])("gives up at once on $name", ({ error }) => {
    expect(nextRetry(error, { failed: 0, waitedMs: 0 }, opts)).toBeNull();
  });

  it("waits out `ratelimited` as Slack says, without counting a try", () => {
    expect(nextRetry(ratelimited(3), { failed: 2, waitedMs: 1000 }, opts)).toEqual({
      pauseMs: 3000,
      state: { failed: 2, waitedMs: 4000 },
    });
  });

  it("a rate-limit wait is not limited by the tries, only by the job's budget for waiting", () => {
    expect(nextRetry(ratelimited(1), { failed: 3, waitedMs: 0 }, opts)?.pauseMs).toBe(1000);
    const full = { failed: 0, waitedMs: MAX_RATE_LIMIT_WAIT_MS - 1000 };
    expect(nextRetry(ratelimited(1), full, opts)?.pauseMs).toBe(1000);
    expect(nextRetry(ratelimited(2), full, opts)).toBeNull();
  });
});
