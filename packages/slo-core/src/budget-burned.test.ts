import { describe, expect, it } from "vitest";
import { budgetBurnedWithin } from "./budget-burned.js";
import { remainingBudget } from "./error-budget.js";
import { buildPrefixSums, windowCounts } from "./prefix-sums.js";
import { HOUR_MS, MINUTE_MS } from "./time-units.js";

const START = Date.parse("2026-03-01T00:00:00Z");
const model = {
  objective: 0.999,
  window: { type: "calendar" as const, period: "month" as const, timeZone: "UTC" },
  method: "occurrences" as const,
};

/** `hours` of 1000 req/min from March 1st; the last `badHours` hours have `badPerMinute` failures. */
function prefix(hours: number, badHours: number, badPerMinute: number) {
  const n = hours * 60;
  const total = new Float64Array(n).fill(1000);
  const good = total.map((t, i) => (i >= n - badHours * 60 ? t - badPerMinute : t));
  return { p: buildPrefixSums({ startMs: START, good, total }), now: START + n * MINUTE_MS - 1 };
}

describe("budgetBurnedWithin", () => {
  it.each([
    {
      name: "all of the bad traffic inside the window",
      hours: 48,
      badHours: 2,
      bad: 1,
      window: 24,
      expected: 120 / (0.001 * 48 * 60 * 1000),
    },
    {
      name: "a window shorter than the bad stretch",
      hours: 48,
      badHours: 2,
      bad: 1,
      window: 1,
      expected: 60 / (0.001 * 48 * 60 * 1000),
    },
    { name: "no bad traffic", hours: 48, badHours: 0, bad: 0, window: 24, expected: 0 },
  ])("$name", ({ hours, badHours, bad, window, expected }) => {
    const { p, now } = prefix(hours, badHours, bad);
    expect(budgetBurnedWithin(model, p, now, window * HOUR_MS)).toBeCloseTo(expected, 9);
  });

  it("a window that reaches back over the whole period equals the budget consumed", () => {
    const { p, now } = prefix(30, 5, 2);
    const consumed = 1 - remainingBudget(windowCounts(p, START, now + 1), model.objective);
    expect(budgetBurnedWithin(model, p, now, 400 * HOUR_MS)).toBeCloseTo(consumed, 9);
  });

  it("timeslices: bad minutes in the window over the period's allowance of bad minutes", () => {
    const { p, now } = prefix(10, 1, 5); // 5 of 1000 fail: below 99.9% → each of the last 60 minutes is bad
    const allowance = 0.001 * 31 * 24 * 60; // March: 44.64 bad minutes
    expect(budgetBurnedWithin({ ...model, method: "timeslices" }, p, now, 2 * HOUR_MS)).toBeCloseTo(
      60 / allowance,
      6,
    );
  });
});
