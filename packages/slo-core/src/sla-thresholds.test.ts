import { describe, expect, it } from "vitest";
import { thresholdsReached } from "./sla-thresholds.js";

describe("thresholdsReached", () => {
  it.each([
    { consumed: 0, thresholds: [50, 80, 100], reached: [] },
    { consumed: 0.49, thresholds: [50, 80, 100], reached: [] },
    { consumed: 0.5, thresholds: [50, 80, 100], reached: [50] },
    // 1 − 0.3 − 0.2 in floating point is 0.49999999999999994: still half the budget.
    { consumed: 1 - (1 - 0.3 - 0.2), thresholds: [50], reached: [50] },
    { consumed: 0.81, thresholds: [100, 50, 80], reached: [50, 80] },
    { consumed: 1, thresholds: [50, 80, 100], reached: [50, 80, 100] },
    { consumed: 2.5, thresholds: [50, 80, 100, 200], reached: [50, 80, 100, 200] },
    { consumed: Number.POSITIVE_INFINITY, thresholds: [100, 50], reached: [50, 100] },
    { consumed: 0.9, thresholds: [50, 50, 0], reached: [50] },
    { consumed: -0.2, thresholds: [50], reached: [] },
  ])("$consumed of the budget reaches $reached of $thresholds", ({ consumed, thresholds, reached }) => {
    expect(thresholdsReached(consumed, thresholds)).toEqual(reached);
  });
});
