import { describe, expect, it } from "vitest";
import { historyGuardrail } from "./history-guardrail.js";

describe("historyGuardrail", () => {
  it.each([
    {
      objective: 0.999,
      slis: [0.995, 0.998, null, 0.997],
      stricter: true,
      best: 0.998,
      worst: 0.995,
      below: 3,
    },
    { objective: 0.99, slis: [0.995, 0.98, 0.999], stricter: false, best: 0.999, worst: 0.98, below: 1 },
    { objective: 0.9, slis: [0.95, 0.97], stricter: false, best: 0.97, worst: 0.95, below: 0 },
    { objective: 0.999, slis: [0.999], stricter: false, best: 0.999, worst: 0.999, below: 0 },
    { objective: 0.999, slis: [null, null], stricter: false, best: null, worst: null, below: 0 },
    { objective: 0.999, slis: [], stricter: false, best: null, worst: null, below: 0 },
  ])("$objective vs $slis", ({ objective, slis, stricter, best, worst, below }) => {
    expect(historyGuardrail(objective, slis)).toEqual({
      stricterThanHistory: stricter,
      bestSli: best,
      worstSli: worst,
      daysBelowObjective: below,
    });
  });
});
