import { describe, expect, it } from "vitest";
import { reviewObjectiveProblem, sloReviewDue, slosReviewedOnTime } from "./reviews";

const DAY = 86_400_000;
const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("sloReviewDue", () => {
  it("is due a cadence after the last review, or after creation when never reviewed", () => {
    expect(sloReviewDue({ createdAtMs: T0, lastReviewedAtMs: null, everyDays: 91 }, T0).dueAtMs).toBe(
      T0 + 91 * DAY,
    );
    expect(
      sloReviewDue({ createdAtMs: T0, lastReviewedAtMs: T0 + 10 * DAY, everyDays: 30 }, T0).dueAtMs,
    ).toBe(T0 + 40 * DAY);
  });
  it("is ok until four weeks before, due within them, overdue after", () => {
    const s = { createdAtMs: T0, lastReviewedAtMs: null, everyDays: 91 };
    expect(sloReviewDue(s, T0 + 63 * DAY)).toMatchObject({ state: "ok", daysLeft: 28 });
    expect(sloReviewDue(s, T0 + 63 * DAY + 1)).toMatchObject({ state: "due", daysLeft: 27 });
    expect(sloReviewDue(s, T0 + 91 * DAY)).toMatchObject({ state: "due", daysLeft: 0 });
    expect(sloReviewDue(s, T0 + 91 * DAY + 1)).toMatchObject({ state: "overdue", daysLeft: -1 });
  });
});

describe("reviewObjectiveProblem", () => {
  it("asks keep to leave the objective, tighten to raise it and loosen to lower it", () => {
    expect(reviewObjectiveProblem("keep", 99.9, undefined)).toBeNull();
    expect(reviewObjectiveProblem("keep", 99.9, 99.9)).toBeNull();
    expect(reviewObjectiveProblem("keep", 99.9, 99)).toMatch(/does not change/);
    expect(reviewObjectiveProblem("tighten", 99.9, undefined)).toMatch(/needs the new objectivePercent/);
    expect(reviewObjectiveProblem("tighten", 99.9, 99.9)).toMatch(/raise/);
    expect(reviewObjectiveProblem("tighten", 99.9, 99.95)).toBeNull();
    expect(reviewObjectiveProblem("loosen", 99.9, 99.95)).toMatch(/lower/);
    expect(reviewObjectiveProblem("loosen", 99.9, 99.5)).toBeNull();
  });
});

describe("slosReviewedOnTime", () => {
  it("needs SLOs, one review at least, and none overdue", () => {
    expect(slosReviewedOnTime([])).toBe(false);
    expect(slosReviewedOnTime([{ reviewed: false, state: "ok" }])).toBe(false);
    expect(
      slosReviewedOnTime([
        { reviewed: true, state: "ok" },
        { reviewed: false, state: "due" },
      ]),
    ).toBe(true);
    expect(
      slosReviewedOnTime([
        { reviewed: true, state: "ok" },
        { reviewed: false, state: "overdue" },
      ]),
    ).toBe(false);
  });
});
