import { describe, expect, it } from "vitest";
import { workbookTiers, type AlertTier } from "./alert-tier.js";
import { DEFAULT_LOW_TRAFFIC_GUARD, decideTier } from "./decide-tier.js";
import { DAY_MS, HOUR_MS } from "./time-units.js";

const [fastPage] = workbookTiers(30 * DAY_MS) as [AlertTier];
const counts = (bad: number, total: number) => ({ good: total - bad, total });

/** Book Table 9.10: 99.7%, "more than 200% of the hourly budget in the last 60 min". */
const BOOK_SINGLE_WINDOW: AlertTier = {
  name: "availability-get-data",
  severity: "page",
  longWindowMs: HOUR_MS,
  shortWindowMs: null,
  factor: 2,
};

describe("decideTier: exactly at the threshold does not fire", () => {
  it.each([
    { longBad: 144, shortBad: 72, firing: false, why: "both exactly 14.4" },
    { longBad: 145, shortBad: 72, firing: false, why: "short exactly 14.4" },
    { longBad: 144, shortBad: 73, firing: false, why: "long exactly 14.4" },
    { longBad: 145, shortBad: 73, firing: true, why: "both one bad over" },
    { longBad: 10000, shortBad: 0, firing: false, why: "no longer burning" },
  ])("99.9%, 1h $longBad/10000, 5m $shortBad/5000 → $firing ($why)", ({ longBad, shortBad, firing }) => {
    const d = decideTier(fastPage, { long: counts(longBad, 10000), short: counts(shortBad, 5000) }, 0.999);
    expect(d.firing).toBe(firing);
    expect(d.factor).toBe(14.4);
    expect(d.longBurnRate).toBeCloseTo(longBad / 10, 9);
  });

  it.each([
    { bad: 7, total: 7500, firing: false },
    { bad: 8, total: 7500, firing: true },
  ])("28-day slow ticket (factor 14/15): $bad/$total in both windows → $firing", ({ bad, total, firing }) => {
    const slowTicket = workbookTiers(28 * DAY_MS).find((t) => t.name === "slow-ticket") as AlertTier;
    expect(
      decideTier(slowTicket, { long: counts(bad, total), short: counts(bad, total) }, 0.999).firing,
    ).toBe(firing);
  });
});

describe("decideTier: the book's 99.7% single-window rule", () => {
  it.each([
    { failures: 3, firing: false },
    { failures: 6, firing: false },
    { failures: 7, firing: true },
    { failures: 100, firing: true },
  ])("$failures failures of 1000 in 60 min → $firing", ({ failures, firing }) => {
    const d = decideTier(BOOK_SINGLE_WINDOW, { long: counts(failures, 1000), short: null }, 0.997);
    expect(d.firing).toBe(firing);
    expect(d.shortBurnRate).toBeNull();
    expect(d.longBurnRate).toBeCloseTo(failures / 3, 9);
  });
});

describe("decideTier: low-traffic guard", () => {
  it.each([
    {
      name: "9 events in the short window",
      long: counts(9, 9),
      short: counts(9, 9),
      guard: DEFAULT_LOW_TRAFFIC_GUARD,
      firing: false,
      suppressed: true,
    },
    {
      name: "10 events in the short window",
      long: counts(10, 10),
      short: counts(10, 10),
      guard: DEFAULT_LOW_TRAFFIC_GUARD,
      firing: true,
      suppressed: false,
    },
    {
      name: "only 2 bad in the long window",
      long: counts(2, 100),
      short: counts(2, 10),
      guard: DEFAULT_LOW_TRAFFIC_GUARD,
      firing: false,
      suppressed: true,
    },
    {
      name: "3 bad in the long window",
      long: counts(3, 100),
      short: counts(3, 10),
      guard: DEFAULT_LOW_TRAFFIC_GUARD,
      firing: true,
      suppressed: false,
    },
    {
      name: "guard switched off",
      long: counts(1, 1),
      short: counts(1, 1),
      guard: { minShortWindowEvents: 0, minLongWindowBad: 0 },
      firing: true,
      suppressed: false,
    },
    {
      name: "not burning is not 'suppressed'",
      long: counts(0, 5),
      short: counts(0, 5),
      guard: DEFAULT_LOW_TRAFFIC_GUARD,
      firing: false,
      suppressed: false,
    },
  ])("$name", ({ long, short, guard, firing, suppressed }) => {
    const d = decideTier(fastPage, { long, short }, 0.999, guard);
    expect(d.firing).toBe(firing);
    expect(d.suppressedBy === "low-traffic").toBe(suppressed);
  });

  it.each([
    { total: 9, firing: false },
    { total: 10, firing: true },
  ])(
    "single-window tier applies the short-window minimum to the long window ($total events)",
    ({ total, firing }) => {
      const d = decideTier(BOOK_SINGLE_WINDOW, { long: counts(5, total), short: null }, 0.997);
      expect(d.firing).toBe(firing);
    },
  );
});

describe("decideTier: other cases", () => {
  it.each([
    { name: "disabled tier", tier: { ...fastPage, enabled: false }, short: counts(50, 100), firing: false },
    { name: "short window missing for a two-window tier", tier: fastPage, short: null, firing: false },
    { name: "short window with no traffic", tier: fastPage, short: counts(0, 0), firing: false },
    { name: "enabled two-window tier", tier: fastPage, short: counts(50, 100), firing: true },
  ])("$name", ({ tier, short, firing }) => {
    expect(decideTier(tier, { long: counts(50, 100), short }, 0.999).firing).toBe(firing);
  });

  it("no traffic at all → no data, not firing", () => {
    const d = decideTier(fastPage, { long: counts(0, 0), short: counts(0, 0) }, 0.999);
    expect(d).toMatchObject({
      firing: false,
      longBurnRate: null,
      shortBurnRate: null,
      tier: "fast-page",
      severity: "page",
    });
  });
});
