import {
  DAY_MS,
  DEFAULT_LOW_TRAFFIC_GUARD,
  MINUTE_MS,
  workbookTiers,
  type MinuteSeries,
  type SloModel,
  type SloWindow,
} from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { alertPriority } from "./alert-priority";

const NOW = Date.parse("2026-03-16T00:00:00Z");
const model = (objective: number, window: SloWindow): SloModel => ({
  objective,
  window,
  method: "occurrences",
  tiers: workbookTiers(28 * DAY_MS),
  guard: DEFAULT_LOW_TRAFFIC_GUARD,
});
const rolling = { type: "rolling", days: 28 } as const;
const month = { type: "calendar", period: "month" } as const;

/** 1000 requests a minute for `days` up to NOW; `bad(minutesAgo)` of them fail. */
function traffic(days: number, bad: (minutesAgo: number) => number): MinuteSeries {
  const n = days * 1440;
  const total = new Float64Array(n).fill(1000);
  const good = total.map((t, i) => t - bad(n - i));
  return { startMs: NOW - n * MINUTE_MS, good, total };
}

describe("alertPriority", () => {
  it.each([
    { name: "no errors", objective: 0.999, window: rolling, days: 28, bad: () => 0, expected: null },
    {
      // 100% errors at 99.99% burn 10,000 times too fast: 5 min spend more than 75% of 28 days' budget.
      name: "a total outage for 5 minutes at 99.99% (Tbl 9.6, P1)",
      objective: 0.9999,
      window: rolling,
      days: 28,
      bad: (m: number) => (m <= 5 ? 1000 : 0),
      expected: "P1",
    },
    {
      // At 99.9%, 15 minutes of it spend 37% of the budget (> 25% within 15 min), 10 minutes only 25%.
      name: "a total outage for 20 minutes at 99.9% (Tbl 9.6, P3)",
      objective: 0.999,
      window: rolling,
      days: 28,
      bad: (m: number) => (m <= 20 ? 1000 : 0),
      expected: "P3",
    },
    {
      name: "the rolling window's budget is spent (Tbl 9.5, P1)",
      objective: 0.999,
      window: rolling,
      days: 28,
      bad: () => 2,
      expected: "P1",
    },
    {
      name: "half the month's budget left, and it lasts the month",
      objective: 0.999,
      window: month,
      days: 15,
      bad: () => 0.5,
      expected: null,
    },
    {
      name: "10% of the month's budget left, gone before the month ends (Tbl 9.5, P1)",
      objective: 0.999,
      window: month,
      days: 15,
      bad: () => 0.9,
      expected: "P1",
    },
  ])("$name → $expected", ({ objective, window, days, bad, expected }) => {
    expect(alertPriority(model(objective, window), traffic(days, bad), NOW)).toBe(expected);
  });
});
