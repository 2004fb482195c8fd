import { describe, expect, it } from "vitest";
import {
  budgetSpentWhenFiring,
  detectionTimeMs,
  tierFactor,
  workbookTiers,
  type AlertTier,
} from "./alert-tier.js";
import { decideTier } from "./decide-tier.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

const PERIOD_30D = 30 * DAY_MS;
const PERIOD_28D = 28 * DAY_MS;

function tierNamed(tiers: AlertTier[], name: string): AlertTier {
  const t = tiers.find((x) => x.name === name);
  if (!t) throw new Error(`no tier ${name}`);
  return t;
}

describe("workbookTiers (SRE Workbook Table 5-8)", () => {
  it.each([
    {
      name: "fast-page",
      severity: "page",
      longMs: HOUR_MS,
      shortMs: 5 * MINUTE_MS,
      f30: 14.4,
      f28: 13.44,
      spent: 0.02,
    },
    {
      name: "slow-page",
      severity: "page",
      longMs: 6 * HOUR_MS,
      shortMs: 30 * MINUTE_MS,
      f30: 6,
      f28: 5.6,
      spent: 0.05,
    },
    {
      name: "fast-ticket",
      severity: "ticket",
      longMs: DAY_MS,
      shortMs: 2 * HOUR_MS,
      f30: 3,
      f28: 2.8,
      spent: 0.1,
    },
    {
      name: "slow-ticket",
      severity: "ticket",
      longMs: 3 * DAY_MS,
      shortMs: 6 * HOUR_MS,
      f30: 1,
      f28: 0.933333333333,
      spent: 0.1,
    },
  ])(
    "$name: factor $f30 at 30 d, $f28 at 28 d, fires after $spent of the budget",
    ({ name, severity, longMs, shortMs, f30, f28, spent }) => {
      const t30 = tierNamed(workbookTiers(PERIOD_30D), name);
      const t28 = tierNamed(workbookTiers(PERIOD_28D), name);
      expect(t30).toMatchObject({ severity, longWindowMs: longMs, shortWindowMs: shortMs });
      expect(t30.factor).toBe(f30);
      expect(t28.factor).toBeCloseTo(f28, 11);
      expect(budgetSpentWhenFiring(t30, PERIOD_30D)).toBe(spent);
      expect(budgetSpentWhenFiring(t28, PERIOD_28D)).toBe(spent);
    },
  );

  it("the short window is 1/12 of the long window", () => {
    for (const t of workbookTiers(PERIOD_30D)) expect((t.shortWindowMs ?? 0) * 12).toBe(t.longWindowMs);
  });

  it.each([
    { fraction: 0.3, periodMs: PERIOD_30D, windowMs: DAY_MS, expected: 9 },
    { fraction: 0.02, periodMs: PERIOD_30D, windowMs: HOUR_MS, expected: 14.4 },
    { fraction: 0.5, periodMs: PERIOD_30D, windowMs: 7 * DAY_MS, expected: 2.14285714286 },
  ])("tierFactor($fraction, …) = $expected", ({ fraction, periodMs, windowMs, expected }) => {
    expect(tierFactor(fraction, periodMs, windowMs)).toBe(expected);
  });
});

describe("detectionTimeMs (Workbook: ε ÷ error rate × long window × factor)", () => {
  it.each([
    { name: "fast-page", errorRate: 1, objective: 0.999, expectedMs: 51_840 },
    { name: "slow-page", errorRate: 1, objective: 0.999, expectedMs: 129_600 },
    { name: "fast-ticket", errorRate: 1, objective: 0.999, expectedMs: 259_200 },
    { name: "slow-ticket", errorRate: 1, objective: 0.999, expectedMs: 259_200 },
    { name: "fast-page", errorRate: 0.018, objective: 0.999, expectedMs: 48 * MINUTE_MS },
    { name: "fast-page", errorRate: 1, objective: 0.9, expectedMs: null }, // at 90% a full outage burns only 10×
    { name: "fast-page", errorRate: 0.0144, objective: 0.999, expectedMs: null }, // exactly at the factor never fires
  ])(
    "$name at $errorRate errors, objective $objective → $expectedMs ms",
    ({ name, errorRate, objective, expectedMs }) => {
      expect(detectionTimeMs(tierNamed(workbookTiers(PERIOD_30D), name), errorRate, objective)).toBe(
        expectedMs,
      );
    },
  );

  it("a full outage at 99.9% pages in about 52 s", () => {
    const ms = detectionTimeMs(tierNamed(workbookTiers(PERIOD_30D), "fast-page"), 1, 0.999) ?? 0;
    expect(Math.round(ms / 1000)).toBe(52);
  });

  it.each([{ errorRate: 0.018 }, { errorRate: 0.03 }, { errorRate: 0.5 }])(
    "simulated step outage at $errorRate fires at the first whole minute after the detection time",
    ({ errorRate }) => {
      const tier = tierNamed(workbookTiers(PERIOD_30D), "fast-page");
      const perMinute = 100_000;
      const badPerMinute = errorRate * perMinute;
      const detection = detectionTimeMs(tier, errorRate, 0.999) ?? Number.NaN;
      // brute force: the outage starts at minute 0 after a clean hour
      let firedAfterMin = -1;
      for (let k = 1; k <= 120 && firedAfterMin < 0; k++) {
        const long = { total: 60 * perMinute, good: 60 * perMinute - k * badPerMinute };
        const shortBad = Math.min(k, 5) * badPerMinute;
        const short = { total: 5 * perMinute, good: 5 * perMinute - shortBad };
        if (decideTier(tier, { long, short }, 0.999).firing) firedAfterMin = k;
      }
      expect(firedAfterMin * MINUTE_MS).toBeGreaterThan(detection);
      expect(firedAfterMin * MINUTE_MS).toBeLessThanOrEqual(detection + MINUTE_MS);
    },
  );
});
