import type { DepletionRow } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { adherenceMatrix, sortDepletion } from "./indicators";

const row = (o: Partial<DepletionRow>): DepletionRow => ({
  sloId: "a",
  name: "A",
  service: "s",
  team: "t",
  endpoint: "GET /affil",
  sli: "availability",
  objectivePercent: 99.95,
  kind: "explicit",
  region: "prod-us",
  period: { start: 0, end: 10 },
  complete: true,
  remainingAtEnd: 0.2,
  adherence: "fulfilled",
  averageSpeedPercentPerHour: 1,
  maxSpeedPercentPerHour: 1,
  episodes: [],
  exhausted: false,
  exhaustedAt: null,
  timeToExhaustionHours: null,
  dates: { timeZone: "UTC", firstDay: "1970-01-01", lastDay: "1970-01-01", days: 1 },
  exhaustedOn: null,
  exhaustedDay: null,
  historyDays: null,
  ...o,
});

describe("depletion table", () => {
  // Book Fig 11.5's rows.
  const rows = [
    row({ sloId: "1", remainingAtEnd: 0.2, averageSpeedPercentPerHour: 1.1, maxSpeedPercentPerHour: 2.3 }),
    row({ sloId: "2", remainingAtEnd: 0.4, averageSpeedPercentPerHour: 0.6, maxSpeedPercentPerHour: 0.6 }),
    row({ sloId: "3", remainingAtEnd: -0.1, averageSpeedPercentPerHour: 1.7, maxSpeedPercentPerHour: 1.9 }),
    row({ sloId: "4", remainingAtEnd: 0.8, averageSpeedPercentPerHour: null, maxSpeedPercentPerHour: null }),
  ];
  it("sorts by highest speed first, then by end-of-period budget lowest first, no data last", () => {
    expect(sortDepletion(rows, "maxSpeed").map((r) => r.sloId)).toEqual(["1", "3", "2", "4"]);
    expect(sortDepletion(rows, "avgSpeed").map((r) => r.sloId)).toEqual(["3", "1", "2", "4"]);
    expect(sortDepletion(rows, "endRemaining").map((r) => r.sloId)).toEqual(["3", "1", "2", "4"]);
  });
  it("pivots adherence into SLO × period, newest period last", () => {
    const m = adherenceMatrix([
      row({ period: { start: 10, end: 20 }, adherence: "broken" }),
      row({ period: { start: 0, end: 10 } }),
      row({ region: "prod-eu", period: { start: 10, end: 20 } }),
    ]);
    expect(m.columns).toBe(2);
    expect(m.rows.map((r) => [r.region, r.cells.map((c) => c?.adherence ?? null)])).toEqual([
      ["prod-us", ["fulfilled", "broken"]],
      ["prod-eu", [null, "fulfilled"]],
    ]);
  });
});
