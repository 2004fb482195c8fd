import { describe, expect, it } from "vitest";
import { reviewDueDate } from "./review-due";

const NOW = Date.parse("2026-03-10T08:00:00Z");

describe("reviewDueDate", () => {
  it.each([
    { name: "no review date", at: null, expected: null },
    { name: "not yet", at: new Date("2026-03-11T00:00:00Z"), expected: null },
    { name: "today", at: new Date("2026-03-10T00:00:00Z"), expected: "2026-03-10" },
    { name: "this very instant", at: new Date(NOW), expected: "2026-03-10" },
    { name: "overdue", at: new Date("2026-02-01T00:00:00Z"), expected: "2026-02-01" },
  ])("$name → $expected", ({ at, expected }) => {
    expect(reviewDueDate(at, NOW)).toBe(expected);
  });
});
