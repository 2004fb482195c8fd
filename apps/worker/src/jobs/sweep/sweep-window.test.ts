import { DAY_MS } from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { DEFAULT_SWEEP_GRACE_MS, sweepWindow } from "./sweep-window";

describe("sweepWindow", () => {
  const nowMs = Date.parse("2026-03-01T12:00:00Z");
  it.each([
    { graceMs: undefined, expected: { fromMs: nowMs - DAY_MS, toMs: nowMs - DEFAULT_SWEEP_GRACE_MS } },
    { graceMs: 0, expected: { fromMs: nowMs - DAY_MS, toMs: nowMs } },
    { graceMs: 2_000, expected: { fromMs: nowMs - DAY_MS, toMs: nowMs - 2_000 } },
  ])("grace $graceMs ms → the last day up to the grace", ({ graceMs, expected }) => {
    expect(sweepWindow(nowMs, graceMs)).toEqual(expected);
  });

  it("leaves the last 10 seconds to their writers by default", () => {
    expect(DEFAULT_SWEEP_GRACE_MS).toBe(10_000);
  });
});
