import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { workbookTiers, type AlertTier } from "./alert-tier.js";
import { burnRate } from "./burn-rate.js";
import { decideTier } from "./decide-tier.js";
import { STATUS_WINDOWS, burnRatesAt, evaluateTiers, type StatusWindow } from "./evaluate.js";
import { buildPrefixSums, windowCounts } from "./prefix-sums.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

const START = Date.parse("2026-01-01T00:00:00Z");

describe("STATUS_WINDOWS", () => {
  it.each([
    { key: "5m", ms: 5 * MINUTE_MS },
    { key: "30m", ms: 30 * MINUTE_MS },
    { key: "1h", ms: HOUR_MS },
    { key: "2h", ms: 2 * HOUR_MS },
    { key: "6h", ms: 6 * HOUR_MS },
    { key: "1d", ms: DAY_MS },
    { key: "3d", ms: 3 * DAY_MS },
  ])("$key = $ms ms", ({ key, ms }) => {
    expect(STATUS_WINDOWS[key as StatusWindow]).toBe(ms);
  });

  it("covers every workbook window", () => {
    const values = new Set<number>(Object.values(STATUS_WINDOWS));
    for (const t of workbookTiers(30 * DAY_MS)) {
      expect(values.has(t.longWindowMs)).toBe(true);
      expect(values.has(t.shortWindowMs ?? -1)).toBe(true);
    }
  });
});

describe("burnRatesAt", () => {
  it("1000 req/min with 1 error/min for the last 2 h and none before", () => {
    const minutes = 4 * 24 * 60;
    const total = new Array<number>(minutes).fill(1000);
    const good = total.map((t, i) => (i >= minutes - 120 ? t - 1 : t));
    const p = buildPrefixSums({ startMs: START, good, total });
    const now = START + minutes * MINUTE_MS;
    const r = burnRatesAt(p, now, 0.999);
    expect(r["5m"]).toBeCloseTo(1, 9);
    expect(r["2h"]).toBeCloseTo(1, 9);
    expect(r["6h"]).toBeCloseTo(120 / 360, 9);
    expect(r["1d"]).toBeCloseTo(120 / 1440, 9);
    expect(r["3d"]).toBeCloseTo(120 / 4320, 9);
  });

  it("windows without traffic are null", () => {
    const p = buildPrefixSums({ startMs: START, good: [5], total: [5] });
    const r = burnRatesAt(p, START + 10 * DAY_MS, 0.999);
    expect(Object.values(r).every((v) => v === null)).toBe(true);
  });
});

describe("evaluateTiers", () => {
  it.each([
    { failures: 6, firing: false },
    { failures: 7, firing: true },
  ])(
    "the book's 99.7% rule over a series: $failures failures in 1000 requests in the last hour",
    ({ failures, firing }) => {
      const tier: AlertTier = {
        name: "book",
        severity: "page",
        longWindowMs: HOUR_MS,
        shortWindowMs: null,
        factor: 2,
      };
      // 2 hours of history; the last 60 minutes carry 1000 requests
      const total = Array.from({ length: 120 }, (_, i) => (i < 60 ? 0 : i < 100 ? 17 : 16)); // 40×17 + 20×16 = 1000
      const good = total.map((t, i) => (i >= 60 && i < 60 + failures ? t - 1 : t));
      const p = buildPrefixSums({ startMs: START, good, total });
      const now = START + 120 * MINUTE_MS;
      expect(windowCounts(p, now - HOUR_MS, now).total).toBe(1000);
      const [d] = evaluateTiers(p, now, 0.997, [tier]);
      expect(d?.firing).toBe(firing);
    },
  );

  it("property: equals decideTier on brute-force windows", () => {
    const tiers = workbookTiers(28 * DAY_MS);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(50), fc.nat(5)), { minLength: 1, maxLength: 5000 }),
        fc.nat(6000),
        fc.constantFrom(0.99, 0.999, 0.9),
        (rows, nowMin, objective) => {
          const total = rows.map(([t, b]) => t + b);
          const good = rows.map(([t]) => t);
          const p = buildPrefixSums({ startMs: START, good, total });
          const now = START + nowMin * MINUTE_MS;
          const sum = (fromMs: number) => {
            let g = 0;
            let t = 0;
            for (let i = 0; i < rows.length; i++) {
              const m = START + i * MINUTE_MS;
              if (m >= fromMs && m < now) {
                g += good[i] ?? 0;
                t += total[i] ?? 0;
              }
            }
            return { good: g, total: t };
          };
          const expected = tiers.map((tier) =>
            decideTier(
              tier,
              { long: sum(now - tier.longWindowMs), short: sum(now - (tier.shortWindowMs ?? 0)) },
              objective,
            ),
          );
          expect(evaluateTiers(p, now, objective, tiers)).toEqual(expected);
          expect(burnRatesAt(p, now, objective)["1h"]).toBe(burnRate(sum(now - HOUR_MS), objective));
        },
      ),
      { numRuns: 50 },
    );
  });
});
