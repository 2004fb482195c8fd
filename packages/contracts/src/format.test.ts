import { describe, expect, it } from "vitest";
import { formatBudgetCounts, formatExhaustion, formatHours, formatPercent, periodOutcome } from "./format";

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

describe("formatBudgetCounts", () => {
  it.each([
    [{ allowed: 1440, bad: 5760, unit: "requests" }, "5,760 bad requests of 1,440 allowed"],
    [{ allowed: 44.64, bad: 96, unit: "minutes" }, "96 bad minutes of 44.64 allowed"],
    [{ allowed: 40.32, bad: 1, unit: "minutes" }, "1 bad minute of 40.32 allowed"],
    [{ allowed: 0.5, bad: 0, unit: "requests" }, "0 bad requests of 0.5 allowed"],
  ] as const)("%o reads %s", (b, text) => expect(formatBudgetCounts(b)).toBe(text));
});

describe("formatExhaustion", () => {
  it.each([
    [218_853.6, "beyond_period", "not within this period"],
    [5.25, "within_period", "5.3 h"],
    [0, "exhausted", "exhausted"],
    [null, "not_burning", "not burning"],
    [96, null, "4.0 days"],
  ] as const)("%s h, %s, reads %s", (h, outlook, text) => expect(formatExhaustion(h, outlook)).toBe(text));
});

describe("periodOutcome", () => {
  it.each([
    [{ adherence: null, exhausted: false }, "no data"],
    [{ adherence: "fulfilled", exhausted: false }, "fulfilled"],
    [{ adherence: "broken", exhausted: false }, "broken"],
    [{ adherence: "broken", exhausted: true }, "ran out early"],
    [{ adherence: "fulfilled", exhausted: true }, "ran out, recovered"],
  ] as const)("%o reads %s", (p, text) => expect(periodOutcome(p)).toBe(text));
});
