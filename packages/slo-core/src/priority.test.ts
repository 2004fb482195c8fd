import { describe, expect, it } from "vitest";
import { priorityFromBurn, priorityFromRemaining } from "./priority.js";
import { MINUTE_MS } from "./time-units.js";

describe("priorityFromBurn (book Tbl 9.6)", () => {
  it.each([
    { spent: 0.8, minutes: 5, expected: "P1" },
    { spent: 0.75, minutes: 5, expected: "P2" }, // not more than 75%, but more than 50% within 10 min
    { spent: 0.8, minutes: 6, expected: "P2" },
    { spent: 0.51, minutes: 10, expected: "P2" },
    { spent: 0.5, minutes: 10, expected: "P3" },
    { spent: 0.3, minutes: 15, expected: "P3" },
    { spent: 0.3, minutes: 16, expected: "P4" },
    { spent: 0.3, minutes: 20, expected: "P4" },
    { spent: 0.3, minutes: 21, expected: null },
    { spent: 0.25, minutes: 1, expected: null },
    { spent: 0.1 + 0.15, minutes: 1, expected: null }, // 0.25 with fp noise is not "more than 25%"
  ])("$spent of the monthly budget within $minutes min → $expected", ({ spent, minutes, expected }) => {
    expect(priorityFromBurn(spent, minutes * MINUTE_MS)).toBe(expected);
  });
});

describe("priorityFromRemaining (book Tbl 9.5)", () => {
  it.each([
    { remaining: 0.2, early: true, expected: "P1" },
    { remaining: -0.5, early: true, expected: "P1" },
    { remaining: 0.3, early: true, expected: "P2" },
    { remaining: 0.4, early: true, expected: "P2" },
    { remaining: 1 - 0.6, early: true, expected: "P2" }, // 0.4 with fp noise
    { remaining: 0.6, early: true, expected: "P3" },
    { remaining: 0.8, early: true, expected: "P4" },
    { remaining: 0.81, early: true, expected: null },
    { remaining: 0.1, early: false, expected: null },
  ])("$remaining left, runs out early: $early → $expected", ({ remaining, early, expected }) => {
    expect(priorityFromRemaining(remaining, early)).toBe(expected);
  });
});
