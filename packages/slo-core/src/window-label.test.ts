import { describe, expect, it } from "vitest";
import { workbookTiers } from "./alert-tier.js";
import { STATUS_WINDOWS } from "./evaluate.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";
import { tierWindowsMs, windowLabel } from "./window-label.js";

describe("windowLabel", () => {
  it.each([
    { ms: 5 * MINUTE_MS, expected: "5m" },
    { ms: 30 * MINUTE_MS, expected: "30m" },
    { ms: HOUR_MS, expected: "1h" },
    { ms: 90 * MINUTE_MS, expected: "90m" },
    { ms: 6 * HOUR_MS, expected: "6h" },
    { ms: 36 * HOUR_MS, expected: "36h" },
    { ms: DAY_MS, expected: "1d" },
    { ms: 3 * DAY_MS, expected: "3d" },
  ])("$ms ms is $expected", ({ ms, expected }) => {
    expect(windowLabel(ms)).toBe(expected);
  });

  it("names every status window by its own key", () => {
    for (const [key, ms] of Object.entries(STATUS_WINDOWS)) expect(windowLabel(ms)).toBe(key);
  });
});

describe("tierWindowsMs", () => {
  it("lists the workbook tiers' eight windows once each, shortest first", () => {
    expect(tierWindowsMs(workbookTiers(28 * DAY_MS)).map(windowLabel)).toEqual([
      "5m",
      "30m",
      "1h",
      "2h",
      "6h",
      "1d",
      "3d",
    ]);
  });

  it("a single-window tier adds only its long window; shared windows count once", () => {
    expect(
      tierWindowsMs([
        { longWindowMs: HOUR_MS, shortWindowMs: null },
        { longWindowMs: HOUR_MS, shortWindowMs: 5 * MINUTE_MS },
      ]),
    ).toEqual([5 * MINUTE_MS, HOUR_MS]);
  });
});
