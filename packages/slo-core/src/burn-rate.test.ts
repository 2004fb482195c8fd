import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { burnRate, exceedsFactor } from "./burn-rate.js";

describe("burnRate", () => {
  it.each([
    { good: 999, total: 1000, objective: 0.999, expected: 1 },
    { good: 986, total: 1000, objective: 0.999, expected: 14 },
    { good: 0, total: 1000, objective: 0.999, expected: 1000 },
    { good: 994, total: 1000, objective: 0.997, expected: 2 },
    { good: 1000, total: 1000, objective: 0.999, expected: 0 },
  ])("$good/$total at $objective burns at $expected", ({ good, total, objective, expected }) => {
    expect(burnRate({ good, total }, objective)).toBeCloseTo(expected, 9);
  });

  it("no traffic is no data", () => {
    expect(burnRate({ good: 0, total: 0 }, 0.999)).toBeNull();
  });
});

describe("exceedsFactor", () => {
  it.each([
    { name: "14.4 computed as 0.0144/0.001", burn: 0.0144 / 0.001, factor: 14.4, expected: false },
    {
      name: "144/10000 at 99.9%",
      burn: burnRate({ good: 10000 - 144, total: 10000 }, 0.999),
      factor: 14.4,
      expected: false,
    },
    {
      name: "145/10000 at 99.9%",
      burn: burnRate({ good: 10000 - 145, total: 10000 }, 0.999),
      factor: 14.4,
      expected: true,
    },
    {
      name: "14/15 vs a factor rounded to 12 digits",
      burn: 7 / 7500 / 0.001,
      factor: 0.933333333333,
      expected: false,
    },
    { name: "clearly below", burn: 1, factor: 2, expected: false },
    { name: "no data", burn: null, factor: 0, expected: false },
    { name: "NaN", burn: Number.NaN, factor: 0, expected: false },
  ])("$name → $expected", ({ burn, factor, expected }) => {
    expect(exceedsFactor(burn, factor)).toBe(expected);
  });

  it("property: agrees with > whenever the gap is well above noise", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0.01, max: 1e3, noNaN: true }),
        (burn, factor) => {
          fc.pre(Math.abs(burn - factor) > 1e-6 * Math.max(1, factor));
          expect(exceedsFactor(burn, factor)).toBe(burn > factor);
        },
      ),
    );
  });
});
