import { describe, expect, it } from "vitest";
import { windowCounts } from "./prefix-sums.js";
import { sampledSumsFromWindows } from "./window-sums.js";

const H = 3_600_000;
const TO = 100 * H;

describe("sampledSumsFromWindows", () => {
  const counts = new Map([
    [H, { good: 990.5, total: 1000.25 }],
    [6 * H, { good: 5000, total: 5100 }],
    [0.3 * H, { good: 0.1, total: 0.30000000000000004 }],
  ]);
  const sums = sampledSumsFromWindows(TO, [TO - 6 * H, TO - H, TO - 0.3 * H, TO - 24 * H, TO], counts);

  it.each([
    [H, { good: 990.5, total: 1000.25 }],
    [6 * H, { good: 5000, total: 5100 }],
    [0.3 * H, { good: 0.1, total: 0.30000000000000004 }],
  ])("a window of %d ms reads back its exact counts", (w, want) => {
    expect(windowCounts(sums, TO - w, TO)).toEqual(want);
  });

  it("a window without counts reads as no traffic, not as all good", () => {
    expect(windowCounts(sums, TO - 24 * H, TO)).toEqual({ good: 0, total: 0 });
  });

  it("refuses an instant after the end", () => {
    expect(() => sampledSumsFromWindows(TO, [TO + H], counts)).toThrow(/after/);
  });
});
