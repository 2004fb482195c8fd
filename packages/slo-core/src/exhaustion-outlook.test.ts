import { describe, expect, it } from "vitest";
import { exhaustionOutlook, projectionHorizonMs } from "./exhaustion-outlook.js";
import { DAY_MS, HOUR_MS } from "./time-units.js";
import type { SloWindow } from "./types.js";

const AT = Date.parse("2026-12-06T00:00:00Z");

describe("projectionHorizonMs", () => {
  it.each([
    { w: { type: "rolling", days: 28 }, hours: 28 * 24 },
    { w: { type: "calendar", period: "month", timeZone: "UTC" }, hours: 26 * 24 },
    // Tokyo's December ends at 2026-12-31T15:00Z.
    { w: { type: "calendar", period: "month", timeZone: "Asia/Tokyo" }, hours: 25 * 24 + 15 },
    // Berlin's 4w period (weeks 49–53) ends at 2027-01-03T23:00Z.
    { w: { type: "calendar", period: "4w", timeZone: "Europe/Berlin" }, hours: 28 * 24 + 23 },
  ] as { w: SloWindow; hours: number }[])("$w.type $w.period $w.timeZone: $hours h", ({ w, hours }) => {
    expect(projectionHorizonMs(w, AT)).toBe(hours * HOUR_MS);
  });
});

describe("exhaustionOutlook", () => {
  it.each([
    // "Exhausted in 9118.9 days" on a 28-day window is beyond it.
    { hours: 9118.9 * 24, horizon: 28 * DAY_MS, outlook: "beyond_period" },
    { hours: 28 * 24, horizon: 28 * DAY_MS, outlook: "within_period" },
    { hours: 28 * 24 + 0.01, horizon: 28 * DAY_MS, outlook: "beyond_period" },
    { hours: 1.5, horizon: 2 * HOUR_MS, outlook: "within_period" },
    { hours: 0, horizon: 28 * DAY_MS, outlook: "exhausted" },
    { hours: null, horizon: 28 * DAY_MS, outlook: "not_burning" },
  ])("$hours h against $horizon ms: $outlook", ({ hours, horizon, outlook }) => {
    expect(exhaustionOutlook(hours, horizon)).toBe(outlook);
  });
});
