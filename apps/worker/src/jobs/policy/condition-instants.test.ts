import type { PolicyConditionSpec } from "@burnrate/contracts";
import {
  DAY_MS,
  DEFAULT_LOW_TRAFFIC_GUARD,
  HOUR_MS,
  evaluationInstants,
  minuteEnd,
  periodAt,
  workbookTiers,
  type SloModel,
} from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { conditionInstants } from "./condition-instants";

const NOW = Date.parse("2026-03-01T06:30:20Z");
const model: SloModel = {
  objective: 0.999,
  window: { type: "calendar", period: "month" },
  method: "occurrences",
  tiers: workbookTiers(31 * DAY_MS),
  guard: DEFAULT_LOW_TRAFFIC_GUARD,
};
const period = periodAt(model.window, NOW);
const burned = (hours: number): PolicyConditionSpec => ({
  id: `burned-${hours}`,
  type: "burned_within",
  percent: 20,
  hours,
  consequences: [],
});

describe("conditionInstants", () => {
  const status = evaluationInstants(model, NOW);

  it("budget conditions read only the status instants", () => {
    const conditions: PolicyConditionSpec[] = [
      { id: "out", type: "exhausted", consequences: [] },
      { id: "half", type: "consumed", percent: 50, consequences: [] },
    ];
    expect(conditionInstants(model, period, conditions, NOW)).toEqual(status);
  });

  it.each([
    { name: "within the period", hours: 2, extra: minuteEnd(NOW) - 2 * HOUR_MS },
    { name: "not before the period's start", hours: 24, extra: period.startMs },
    { name: "an instant the status reads already (1 h) is read once", hours: 1, extra: null },
  ])("burned within $hours h: $name", ({ hours, extra }) => {
    const got = conditionInstants(model, period, [burned(hours)], NOW);
    expect(got).toEqual(extra === null || status.includes(extra) ? status : [...status, extra]);
    expect(new Set(got).size).toBe(got.length);
  });
});
