import { describe, expect, it } from "vitest";
import { formatHours, formatPercent } from "./format";

describe("formatHours", () => {
  it.each([
    [null, "not burning"],
    [0, "exhausted"],
    [-3, "exhausted"],
    [0.5, "30 min"],
    [5.25, "5.3 h"],
    [96, "4.0 days"],
  ])("%s h reads %s", (h, text) => expect(formatHours(h)).toBe(text));
});

describe("formatPercent", () => {
  it.each([
    [null, 1, "no data"],
    [0.99912, 2, "99.91%"],
    [-0.022, 1, "-2.2%"],
  ])("%s reads %s", (x, d, text) => expect(formatPercent(x, d)).toBe(text));
});
