import type { SlaStatusResponse } from "@burnrate/contracts";
import { describe, expect, it } from "vitest";
import { budgetAxis, curvePoints } from "./to-series";

const row = (curves: number[][]): SlaStatusResponse["contractual"] => ({
  id: "c",
  kind: "contractual",
  name: "n",
  service: null,
  endpoint: null,
  sli: { type: "availability" },
  objectivePercent: 99,
  periods: curves.map((c, i) => ({
    start: i * 100,
    end: (i + 1) * 100,
    complete: true,
    good: 0,
    total: 0,
    remainingAtEnd: c[c.length - 1] ?? null,
    depletionPercent: null,
    adherence: null,
    averageSpeedPercentPerHour: null,
    maxSpeedPercentPerHour: null,
    exhausted: false,
    exhaustedAt: null,
    timeToExhaustionHours: null,
    curve: c.map((remaining, k) => ({ t: i * 100 + k * 10, remaining })),
  })),
});
const status = (contractual: number[][], children: number[][][] = []): SlaStatusResponse => ({
  id: "s",
  name: "s",
  window: { type: "calendar", period: "4w" },
  contractual: row(contractual),
  children: children.map((c) => ({ ...row(c), kind: "endpoint" as const })),
  tiers: [],
});

describe("budgetAxis", () => {
  it.each([
    {
      name: "all budgets left: 0 to 100 by 25",
      s: status([[1, 0.3]]),
      domain: [0, 100],
      ticks: [0, 25, 50, 75, 100],
    },
    {
      name: "a child at −20%: down to −25",
      s: status([[1, 0.3]], [[[1, -0.2]]]),
      domain: [-25, 100],
      ticks: [-25, 0, 25, 50, 75, 100],
    },
    {
      name: "−488%: steps of 100",
      s: status([[1, -4.88]]),
      domain: [-500, 100],
      ticks: [-500, -400, -300, -200, -100, 0, 100],
    },
  ])("$name", ({ s, domain, ticks }) => {
    expect(budgetAxis(s)).toEqual({ domain, ticks });
  });
});

describe("curvePoints", () => {
  it("joins the periods' curves in percent, each period starting again at 100", () => {
    expect(
      curvePoints(
        row([
          [1, 0.5],
          [1, 0.8],
        ]),
      ),
    ).toEqual([
      { t: 0, v: 100 },
      { t: 10, v: 50 },
      { t: 100, v: 100 },
      { t: 110, v: 80 },
    ]);
  });

  it("leaves a gap for a period without data instead of a line at 100%", () => {
    expect(curvePoints(row([[], [1, 0.8]]))).toEqual([
      { t: 0, v: null },
      { t: 100, v: 100 },
      { t: 110, v: 80 },
    ]);
  });
});
