import { describe, expect, it } from "vitest";
import { badEvents, sli } from "./sli.js";

describe("sli", () => {
  it.each([
    { good: 999, total: 1000, expected: 0.999 },
    { good: 0, total: 10, expected: 0 },
    { good: 10, total: 10, expected: 1 },
    { good: 0, total: 0, expected: null },
  ])("$good/$total → $expected", ({ good, total, expected }) => {
    expect(sli({ good, total })).toBe(expected);
  });

  it.each([
    { good: 990, total: 1000, expected: 10 },
    { good: 5, total: 5, expected: 0 },
    { good: 6, total: 5, expected: 0 },
  ])("badEvents $good/$total → $expected", ({ good, total, expected }) => {
    expect(badEvents({ good, total })).toBe(expected);
  });
});
