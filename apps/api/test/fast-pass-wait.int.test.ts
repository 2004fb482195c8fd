import { randomUUID } from "node:crypto";
import { hotServicesKey } from "@burnrate/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, waitFor, type Stack } from "./harness";

/**
 * The worker's fast pass waits on the hot-services set instead of looking every few seconds: a mark is taken
 * at once, and a mark made within BURNRATE_FAST_EVERY_MS (5 s) of the last pass waits for the next one.
 */
describe("the fast pass's wait for marks", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true, fastEveryMs: 5_000 });
  });
  afterAll(async () => stack?.stop());

  it("takes a mark at once, and the next one no sooner than 5 s after the last pass", async () => {
    const key = hotServicesKey(stack.prefix);
    const first = randomUUID();
    const t0 = Date.now();
    await stack.redis.zadd(key, 1, first);
    await waitFor("the first mark taken", async () => (await stack.redis.zcard(key)) === 0, 10_000, 20);
    const tookMs = Date.now() - t0;
    expect(tookMs).toBeLessThan(2_000);
    const second = randomUUID();
    await stack.redis.zadd(key, 1, second);
    await new Promise((r) => setTimeout(r, 1_500));
    // Still there: the last pass was under 5 s ago.
    expect(await stack.redis.zscore(key, second)).toBe("1");
    await waitFor("the second mark taken", async () => (await stack.redis.zcard(key)) === 0, 10_000, 20);
    const apartMs = Date.now() - t0;
    expect(apartMs).toBeGreaterThanOrEqual(5_000 - 50);
    expect(apartMs).toBeLessThan(8_000);
  });
});
