import { describe, expect, it } from "vitest";
import { conditionInstants, evaluateCondition, type PolicyCondition } from "./policy-condition.js";

describe("evaluateCondition", () => {
  const burned = (h: number) => (h <= 24 ? 0.3 : 0.45);
  it.each([
    { cond: { type: "exhausted" }, remaining: 0, met: true, value: 0 },
    { cond: { type: "exhausted" }, remaining: 0.01, met: false, value: 0.01 },
    { cond: { type: "exhausted" }, remaining: -0.2, met: true, value: -0.2 },
    { cond: { type: "consumed", percent: 70 }, remaining: 0.3, met: true, value: 70 },
    { cond: { type: "consumed", percent: 70 }, remaining: 0.31, met: false, value: 69 },
    { cond: { type: "consumed", percent: 80 }, remaining: 0.1, met: true, value: 90 },
    { cond: { type: "burned_within", percent: 30, hours: 24 }, remaining: 0.5, met: true, value: 30 },
    { cond: { type: "burned_within", percent: 50, hours: 168 }, remaining: 0.5, met: false, value: 45 },
  ] as { cond: PolicyCondition; remaining: number; met: boolean; value: number }[])(
    "$cond.type $cond.percent with $remaining left → $met",
    ({ cond, remaining, met, value }) => {
      const r = evaluateCondition(cond, { remaining, burnedFractionWithin: burned });
      expect(r.met).toBe(met);
      expect(r.value).toBeCloseTo(value, 9);
    },
  );

  it("burned_within without a burn source is not met", () => {
    const r = evaluateCondition({ type: "burned_within", percent: 30, hours: 24 }, { remaining: 0.5 });
    expect(r.met).toBe(false);
    expect(r.value).toBeNaN();
  });

  it("passes the condition's hours to the burn source", () => {
    const asked: number[] = [];
    evaluateCondition(
      { type: "burned_within", percent: 50, hours: 168 },
      { remaining: 1, burnedFractionWithin: (h) => (asked.push(h), 0) },
    );
    expect(asked).toEqual([168]);
  });
});

describe("conditionInstants", () => {
  const H = 3_600_000;
  const now = 10 * H + 30_000; // inside the minute that ends at 10 h + 1 min
  const end = 10 * H + 60_000;
  it.each([
    ["status instants only", [{ type: "exhausted" }], [1, 2], [1, 2]],
    [
      "burned within 2 h starts 2 h before the minute's end",
      [{ type: "burned_within", hours: 2 }],
      [1],
      [1, end - 2 * H],
    ],
    ["never before the period start", [{ type: "burned_within", hours: 48 }], [1], [1, 0]],
    [
      "each instant once",
      [
        { type: "burned_within", hours: 2 },
        { type: "burned_within", hours: 2 },
      ],
      [end - 2 * H],
      [end - 2 * H],
    ],
  ] as const)("%s", (_name, conditions, status, expected) => {
    expect(conditionInstants([...status], 0, conditions, now)).toEqual(expected);
  });
});
