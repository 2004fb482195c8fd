import { describe, expect, it } from "vitest";
import { exhaustionTimeMs, timeToExhaustionHours } from "./time-to-exhaustion.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

describe("exhaustionTimeMs (SRE Workbook Table 5-4, 30-day period)", () => {
  it.each([
    { burn: 1, days: 30 },
    { burn: 2, days: 15 },
    { burn: 10, days: 3 },
  ])("burn rate $burn exhausts the budget in $days days", ({ burn, days }) => {
    expect(exhaustionTimeMs(burn, 30 * DAY_MS)).toBe(days * DAY_MS);
  });

  it("burn rate 1000 exhausts it in 43 minutes", () => {
    expect(Math.round((exhaustionTimeMs(1000, 30 * DAY_MS) ?? 0) / MINUTE_MS)).toBe(43);
  });

  it.each([{ burn: 0 }, { burn: -1 }])("burn $burn never exhausts", ({ burn }) => {
    expect(exhaustionTimeMs(burn, 30 * DAY_MS)).toBeNull();
  });
});

describe("timeToExhaustionHours", () => {
  it.each([
    { remaining: 1, periodMs: 30 * DAY_MS, burn: 1, expected: 720 },
    { remaining: 0.5, periodMs: 30 * DAY_MS, burn: 14.4, expected: 25 },
    { remaining: 0.25, periodMs: 28 * DAY_MS, burn: 2, expected: 84 },
    { remaining: 0, periodMs: 30 * DAY_MS, burn: 2, expected: 0 },
    { remaining: -0.3, periodMs: 30 * DAY_MS, burn: null, expected: 0 },
    { remaining: 0.5, periodMs: 30 * DAY_MS, burn: 0, expected: null },
    { remaining: 0.5, periodMs: 30 * DAY_MS, burn: null, expected: null },
  ])("$remaining left, burn $burn → $expected h", ({ remaining, periodMs, burn, expected }) => {
    const h = timeToExhaustionHours(remaining, periodMs, burn);
    if (expected === null) expect(h).toBeNull();
    else expect(h).toBeCloseTo(expected, 9);
  });

  it("agrees with exhaustionTimeMs for a full budget", () => {
    expect((timeToExhaustionHours(1, 30 * DAY_MS, 10) ?? 0) * HOUR_MS).toBeCloseTo(
      exhaustionTimeMs(10, 30 * DAY_MS) ?? 0,
      3,
    );
  });
});
