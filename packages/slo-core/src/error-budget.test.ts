import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { burnRate } from "./burn-rate.js";
import { adherence, prematureExhaustion } from "./depletion.js";
import { allowedBad, budgetExhausted, budgetSpent, errorBudget, remainingBudget } from "./error-budget.js";
import { BOOK_DEFAULT_SLOS, percentToObjective } from "./objective.js";
import { evaluateCondition } from "./policy-condition.js";
import { timeToExhaustionHours } from "./time-to-exhaustion.js";
import { DAY_MS } from "./time-units.js";

describe("errorBudget", () => {
  it.each([
    { objective: 0.999, expected: 0.001 },
    { objective: 0.9, expected: 0.1 },
    { objective: 0.997, expected: 0.003 },
    { objective: 0.9999, expected: 0.0001 },
    { objective: 0.99999, expected: 0.00001 },
    { objective: 0.99995, expected: 0.00005 },
    { objective: 0.98765, expected: 0.01235 },
  ])("1 − $objective = $expected exactly", ({ objective, expected }) => {
    expect(errorBudget(objective)).toBe(expected);
  });
});

describe("allowedBad and remainingBudget (occurrences)", () => {
  it.each([
    { good: 999, total: 1000, objective: 0.999, allowed: 1, remaining: 0 },
    { good: 1000, total: 1000, objective: 0.999, allowed: 1, remaining: 1 },
    { good: 1995, total: 2000, objective: 0.999, allowed: 2, remaining: -1.5 },
    { good: 0, total: 0, objective: 0.999, allowed: 0, remaining: 1 },
    { good: 97, total: 100, objective: 0.98, allowed: 2, remaining: -0.5 },
    { good: 300000 - 6, total: 300000, objective: 0.99998, allowed: 6, remaining: 0 }, // 0.00002 × 300000 = 6.000000000000001 in fp
    { good: 700000 - 28, total: 700000, objective: 0.99996, allowed: 28, remaining: 0 },
  ])("$good/$total at $objective", ({ good, total, objective, allowed, remaining }) => {
    expect(allowedBad({ good, total }, objective)).toBe(allowed);
    expect(remainingBudget({ good, total }, objective)).toBeCloseTo(remaining, 12);
    if (remaining === 0) expect(remainingBudget({ good, total }, objective)).toBe(0);
  });

  // The book's default SLOs: availability 90%, latency 80% within 1000 ms.
  it.each([
    {
      name: "availability: 100 of 1000 failed is exactly the budget",
      percent: BOOK_DEFAULT_SLOS.availability.objectivePercent,
      good: 900,
      total: 1000,
      remaining: 0,
    },
    {
      name: "availability: 50 of 1000 failed is half",
      percent: BOOK_DEFAULT_SLOS.availability.objectivePercent,
      good: 950,
      total: 1000,
      remaining: 0.5,
    },
    {
      name: "latency: 85 of 100 within 1000 ms",
      percent: BOOK_DEFAULT_SLOS.latency.objectivePercent,
      good: 85,
      total: 100,
      remaining: 0.25,
    },
    {
      name: "latency: 80 of 100 within 1000 ms is exactly at budget",
      percent: BOOK_DEFAULT_SLOS.latency.objectivePercent,
      good: 80,
      total: 100,
      remaining: 0,
    },
  ])("$name", ({ percent, good, total, remaining }) => {
    const objective = percentToObjective(percent);
    expect(remainingBudget({ good, total }, objective)).toBe(remaining);
  });

  it("latency default SLO: 85 of 100 good passes 80%", () => {
    expect(BOOK_DEFAULT_SLOS.latency.thresholdMs).toBe(1000);
    expect(85 / 100 >= percentToObjective(BOOK_DEFAULT_SLOS.latency.objectivePercent)).toBe(true);
  });

  it("budgetSpent is infinite when the budget allows nothing but something failed", () => {
    expect(budgetSpent({ good: 0, total: 1 }, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  const objectives = fc.constantFrom(
    0.9,
    0.95,
    0.98,
    0.99,
    0.995,
    0.997,
    0.999,
    0.9995,
    0.9999,
    0.99998,
    0.99996,
    0.98765,
  );

  it("property: over the whole period, remaining = 1 − burn rate", () => {
    fc.assert(
      fc.property(
        objectives,
        fc.integer({ min: 1, max: 1e7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (objective, total, badShare) => {
          const bad = Math.floor(total * badShare);
          const c = { good: total - bad, total };
          expect(remainingBudget(c, objective)).toBeCloseTo(1 - (burnRate(c, objective) ?? 0), 9);
        },
      ),
    );
  });

  it("property: burn rate 1 over the whole period ⇔ remaining exactly 0 at its end", () => {
    fc.assert(
      fc.property(
        objectives,
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: -3, max: 3 }),
        (objective, allowedUnits, delta) => {
          // choose total so that ε × total is a whole number of bad events
          const eps = errorBudget(objective);
          const total = Math.round(allowedUnits / eps);
          const exactBad = Math.round(eps * total);
          fc.pre(
            Math.abs(eps * total - exactBad) < 1e-9 && exactBad + delta >= 0 && exactBad + delta <= total,
          );
          const c = { good: total - exactBad - delta, total };
          const burn = burnRate(c, objective) ?? Number.NaN;
          const remaining = remainingBudget(c, objective);
          expect(Math.abs(burn - 1) < 1e-9).toBe(delta === 0);
          expect(remaining === 0).toBe(delta === 0);
        },
      ),
    );
  });
});

describe("a budget at exactly 0: exhausted, and a period ending there fulfilled", () => {
  it.each([
    { remaining: 0.0001, exhausted: false, adherence: "fulfilled", tte: 0.0001 * 720 },
    { remaining: 0, exhausted: true, adherence: "fulfilled", tte: 0 },
    { remaining: -0.0001, exhausted: true, adherence: "broken", tte: 0 },
  ] as const)("remaining $remaining", ({ remaining, exhausted, adherence: adh, tte }) => {
    expect(budgetExhausted(remaining)).toBe(exhausted);
    expect(adherence(remaining)).toBe(adh);
    // 30 days at a burn rate of 1: the whole budget lasts 720 h.
    expect(timeToExhaustionHours(remaining, 30 * DAY_MS, 1)).toBeCloseTo(tte, 9);
    expect(evaluateCondition({ type: "exhausted" }, { remaining, burnedFractionWithin: () => 0 }).met).toBe(
      exhausted,
    );
    const ran = prematureExhaustion(
      [
        { tMs: 0, remaining: 1 },
        { tMs: DAY_MS, remaining },
        { tMs: 2 * DAY_MS, remaining },
      ],
      { startMs: 0, endMs: 2 * DAY_MS },
    );
    expect(ran).toEqual({
      exhausted,
      exhaustedAtMs: exhausted ? DAY_MS : null,
      timeToExhaustionMs: exhausted ? DAY_MS : null,
      shortfall: remaining < 0 ? -remaining : 0,
    });
  });
});
