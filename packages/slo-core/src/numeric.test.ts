import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  definitelyGreater,
  greaterOrAbout,
  lessOrAbout,
  roundDecimals,
  roundSignificant,
} from "./numeric.js";

describe("roundSignificant", () => {
  it.each([
    { x: 1 - 0.999, expected: 0.001 },
    { x: 1 - 0.9, expected: 0.1 },
    { x: 0.1 + 0.2, expected: 0.3 },
    { x: 0, expected: 0 },
    { x: -1234.56789012345, expected: -1234.56789012 },
    { x: Number.POSITIVE_INFINITY, expected: Number.POSITIVE_INFINITY },
  ])("$x → $expected", ({ x, expected }) => {
    expect(roundSignificant(x)).toBe(expected);
  });

  it("keeps 12 significant digits (relative error below 1e-11)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((x) => Math.abs(x) > 1e-300),
        (x) => {
          expect(Math.abs(roundSignificant(x) - x)).toBeLessThanOrEqual(Math.abs(x) * 1e-11);
        },
      ),
    );
  });
});

describe("tolerant comparisons", () => {
  it.each([
    { a: 0.0144 / 0.001, b: 14.4, greater: false, geq: true },
    { a: 14.5, b: 14.4, greater: true, geq: true },
    { a: 14.3, b: 14.4, greater: false, geq: false },
    { a: 7 / 7500 / 0.001, b: 0.933333333333, greater: false, geq: true },
  ])("$a vs $b", ({ a, b, greater, geq }) => {
    expect(definitelyGreater(a, b)).toBe(greater);
    expect(greaterOrAbout(a, b)).toBe(geq);
    expect(lessOrAbout(b, a)).toBe(geq);
  });
});

describe("roundDecimals", () => {
  it.each([
    { x: 1 - 0.99999, expected: 0.00001 },
    { x: 1 - 0.9, expected: 0.1 },
    { x: 1 - 0.999, expected: 0.001 },
    { x: 0.1234567890123456, expected: 0.123456789012 },
    { x: Number.NEGATIVE_INFINITY, expected: Number.NEGATIVE_INFINITY },
  ])("$x → $expected", ({ x, expected }) => {
    expect(roundDecimals(x)).toBe(expected);
  });
});
