import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { budgetCurve } from "./budget-curve.js";
import { remainingBudget } from "./error-budget.js";
import type { MinuteSeries } from "./prefix-sums.js";
import { timeslicesRemaining } from "./timeslices.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";
import type { SloWindow } from "./types.js";

const MONTH: SloWindow = { type: "calendar", period: "month" };
const FEB = Date.parse("2026-02-01T00:00:00Z");
const MAR = Date.parse("2026-03-01T00:00:00Z");

/** 100 requests a minute from `startMs` for `minutes`, with the given bad counts at given minutes. */
function series(startMs: number, minutes: number, bad: Record<number, number>): MinuteSeries {
  const total = new Array<number>(minutes).fill(100);
  const good = total.map((t, i) => t - (bad[i] ?? 0));
  return { startMs, good, total };
}

describe("budgetCurve", () => {
  // The last 2 days of February and first 2 of March, 1 h of 10% errors on Feb 28 00:00–01:00.
  const start = MAR - 2 * DAY_MS;
  const bad: Record<number, number> = {};
  for (let i = DAY_MS / MINUTE_MS; i < (DAY_MS + HOUR_MS) / MINUTE_MS; i++) bad[i] = 10;
  const s = series(start, 4 * 24 * 60, bad);

  it.each([
    { name: "before the errors", t: start + DAY_MS, remaining: 1, periodStart: FEB },
    // ε = 0.1 → after the hour: 600 bad of 1,440 min × 100 … allowed = 0.1 × events so far
    {
      name: "right after the errors",
      t: start + DAY_MS + HOUR_MS,
      remaining: 1 - 600 / (0.1 * 100 * (24 * 60 + 60)),
      periodStart: FEB,
    },
    { name: "resets at the month start", t: MAR, remaining: 1, periodStart: MAR },
    { name: "March sees no February errors", t: MAR + DAY_MS, remaining: 1, periodStart: MAR },
  ])("occurrences: $name", ({ t, remaining, periodStart }) => {
    const [p] = budgetCurve({
      series: s,
      window: MONTH,
      objective: 0.9,
      method: "occurrences",
      fromMs: t,
      toMs: t,
      stepMs: HOUR_MS,
    });
    expect(p?.periodStartMs).toBe(periodStart);
    expect(p?.remaining).toBeCloseTo(remaining, 12);
  });

  it.each([
    { objective: 0.95, expectedBadMinutes: 60 }, // 10% errors breaks 95%
    { objective: 0.9, expectedBadMinutes: 0 }, // exactly 90% is not below the objective
  ])(
    "timeslices at $objective: $expectedBadMinutes bad minutes over February's 40,320 minutes",
    ({ objective, expectedBadMinutes }) => {
      const t = MAR - 1;
      const [p] = budgetCurve({
        series: s,
        window: MONTH,
        objective,
        method: "timeslices",
        fromMs: t,
        toMs: t,
        stepMs: HOUR_MS,
      });
      const febMinutes = 28 * 24 * 60;
      expect(p?.remaining).toBeCloseTo(1 - expectedBadMinutes / ((1 - objective) * febMinutes), 9);
    },
  );

  it("samples from..to inclusive, null where the series has no data", () => {
    const curve = budgetCurve({
      series: s,
      window: MONTH,
      objective: 0.9,
      method: "occurrences",
      fromMs: start - 2 * HOUR_MS,
      toMs: start + HOUR_MS,
      stepMs: HOUR_MS,
    });
    expect(curve.map((p) => p.tMs)).toEqual([start - 2 * HOUR_MS, start - HOUR_MS, start, start + HOUR_MS]);
    expect(curve.map((p) => p.remaining)).toEqual([null, null, null, 1]);
  });

  it("rolling windows look back `days` from each point", () => {
    const curve = budgetCurve({
      series: s,
      window: { type: "rolling", days: 1 },
      objective: 0.9,
      method: "occurrences",
      fromMs: start + 2 * DAY_MS,
      toMs: start + 2 * DAY_MS + HOUR_MS,
      stepMs: HOUR_MS,
    });
    expect(curve[0]?.remaining).toBeCloseTo(1 - 600 / (0.1 * 100 * 24 * 60), 12);
    expect(curve[1]?.remaining).toBe(1); // the bad hour has left the 1-day window
    expect(curve[1]?.periodStartMs).toBe(start + DAY_MS + HOUR_MS);
  });

  it("refuses a non-positive step", () => {
    expect(() =>
      budgetCurve({
        series: s,
        window: MONTH,
        objective: 0.9,
        method: "occurrences",
        fromMs: 0,
        toMs: 1,
        stepMs: 0,
      }),
    ).toThrow(RangeError);
  });

  it("property: each point equals a direct computation over [periodStart, t)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.nat(50)), { minLength: 10, maxLength: 400 }),
        fc.constantFrom<"occurrences" | "timeslices">("occurrences", "timeslices"),
        fc.integer({ min: 1, max: 90 }),
        (rows, method, stepMin) => {
          const from = MAR - 200 * MINUTE_MS;
          const good = rows.map(([b, g]) => g - Math.min(b, g));
          const total = rows.map(([, g]) => g);
          const sr: MinuteSeries = { startMs: from, good, total };
          const curve = budgetCurve({
            series: sr,
            window: MONTH,
            objective: 0.99,
            method,
            fromMs: from + MINUTE_MS,
            toMs: from + rows.length * MINUTE_MS,
            stepMs: stepMin * MINUTE_MS,
          });
          for (const p of curve) {
            const minutes = rows
              .map((_, i) => ({ t: from + i * MINUTE_MS, good: good[i] ?? 0, total: total[i] ?? 0 }))
              .filter((x) => x.t >= p.periodStartMs && x.t < p.tMs);
            const periodMinutes = (p.periodStartMs === MAR ? 31 : 28) * 24 * 60;
            const expected =
              method === "timeslices"
                ? timeslicesRemaining(minutes, 0.99, periodMinutes)
                : remainingBudget(
                    {
                      good: minutes.reduce((a, x) => a + x.good, 0),
                      total: minutes.reduce((a, x) => a + x.total, 0),
                    },
                    0.99,
                  );
            expect(p.remaining).toBeCloseTo(expected, 12);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("property: timeslices curve never rises within a period", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(50)), { minLength: 10, maxLength: 400 }), (rows) => {
        const from = MAR - 200 * MINUTE_MS;
        const sr: MinuteSeries = {
          startMs: from,
          good: rows.map(([b, g]) => g - Math.min(b, g)),
          total: rows.map(([, g]) => g),
        };
        const curve = budgetCurve({
          series: sr,
          window: MONTH,
          objective: 0.999,
          method: "timeslices",
          fromMs: from + MINUTE_MS,
          toMs: from + rows.length * MINUTE_MS,
          stepMs: MINUTE_MS,
        });
        for (let i = 1; i < curve.length; i++) {
          const a = curve[i - 1];
          const b = curve[i];
          if (a && b && a.periodStartMs === b.periodStartMs)
            expect(b.remaining ?? 0).toBeLessThanOrEqual(a.remaining ?? 0);
        }
      }),
      { numRuns: 40 },
    );
  });
});
