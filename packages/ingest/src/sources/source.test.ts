import { describe, expect, it } from "vitest";
import { isMinuteRange, minuteRangeCovering } from "./source";

const T = Date.UTC(2026, 10, 21, 10, 0, 0);

describe("isMinuteRange", () => {
  it.each([
    { fromMs: T, toMs: T + 60_000, expected: true },
    { fromMs: T, toMs: T, expected: true },
    { fromMs: T + 1, toMs: T + 60_000, expected: false },
    { fromMs: T, toMs: T + 59_999, expected: false },
    { fromMs: T + 60_000, toMs: T, expected: false },
    { fromMs: T + 0.5, toMs: T + 60_000, expected: false },
    { fromMs: Number.NaN, toMs: T, expected: false },
  ])("[$fromMs, $toMs) → $expected", ({ fromMs, toMs, expected }) => {
    expect(isMinuteRange({ fromMs, toMs })).toBe(expected);
  });
});

describe("minuteRangeCovering", () => {
  it.each([
    { fromMs: T, toMs: T + 60_000, expected: { fromMs: T, toMs: T + 60_000 } },
    { fromMs: T + 1, toMs: T + 1, expected: { fromMs: T, toMs: T + 60_000 } },
    { fromMs: T + 59_999, toMs: T + 60_001, expected: { fromMs: T, toMs: T + 120_000 } },
    { fromMs: T + 30_000, toMs: T, expected: { fromMs: T, toMs: T } },
  ])("[$fromMs, $toMs) → $expected", ({ fromMs, toMs, expected }) => {
    const r = minuteRangeCovering(fromMs, toMs);
    expect(r).toEqual(expected);
    expect(isMinuteRange(r)).toBe(true);
  });
});
