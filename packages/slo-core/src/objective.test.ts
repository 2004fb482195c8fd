import { describe, expect, it } from "vitest";
import { objectiveToPercent, percentToObjective } from "./objective.js";

describe("percentToObjective", () => {
  it.each([
    { p: 99.9, expected: 0.999 },
    { p: 99.95, expected: 0.9995 },
    { p: 90, expected: 0.9 },
    { p: 99.7, expected: 0.997 },
    { p: 0.001, expected: 0.00001 },
  ])("$p% → $expected", ({ p, expected }) => {
    expect(percentToObjective(p)).toBe(expected);
    expect(objectiveToPercent(percentToObjective(p))).toBe(p);
  });

  it.each([0, 100, -1, 101, Number.NaN, Number.POSITIVE_INFINITY])("refuses %s", (p) => {
    expect(() => percentToObjective(p)).toThrow(RangeError);
  });
});
