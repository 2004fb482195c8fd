import type { PolicyConditionSpec } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { enactmentDetail } from "./enactment-detail";

const period = { startMs: Date.parse("2026-03-01T00:00:00Z"), endMs: Date.parse("2026-04-01T00:00:00Z") };
const periodIso = { start: "2026-03-01T00:00:00.000Z", end: "2026-04-01T00:00:00.000Z" };

describe("enactmentDetail", () => {
  it.each<{ c: PolicyConditionSpec; remaining: number; value: number; expected: object }>([
    {
      c: { id: "out", type: "exhausted", consequences: [] },
      remaining: -0.25,
      value: -0.25,
      expected: { remaining: -0.25, consumedPercent: 125, burnedPercent: null, period: periodIso },
    },
    {
      c: { id: "most", type: "consumed", percent: 75, consequences: [] },
      remaining: 0.2,
      value: 80,
      expected: { remaining: 0.2, consumedPercent: 80, burnedPercent: null, period: periodIso },
    },
    {
      c: { id: "fast", type: "burned_within", percent: 20, hours: 24, consequences: [] },
      remaining: 0.6,
      value: 25,
      expected: { remaining: 0.6, consumedPercent: 40, burnedPercent: 25, period: periodIso },
    },
  ])("$c.type", ({ c, remaining, value, expected }) => {
    const got = enactmentDetail(c, { remaining, value, period });
    expect(got).toEqual({ ...expected, consumedPercent: expect.closeTo((1 - remaining) * 100, 9) });
  });
});
