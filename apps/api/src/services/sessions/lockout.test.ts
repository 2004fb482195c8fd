import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { LOCKOUT, lockoutMs } from "./lockout";

describe("lockoutMs", () => {
  it.each([
    { failures: 0, expected: 0 },
    { failures: 9, expected: 0 },
    { failures: 10, expected: MINUTE_MS },
    { failures: 11, expected: 2 * MINUTE_MS },
    { failures: 12, expected: 4 * MINUTE_MS },
    { failures: 15, expected: 32 * MINUTE_MS },
    { failures: 16, expected: HOUR_MS },
    { failures: 1000, expected: HOUR_MS },
  ])("$failures failures lock for $expected ms", ({ failures, expected }) => {
    expect(lockoutMs(failures)).toBe(expected);
  });

  it("locks from the 10th failure, forgets after a day", () => {
    expect(LOCKOUT.threshold).toBe(10);
    expect(LOCKOUT.memoryMs).toBe(DAY_MS);
  });
});
