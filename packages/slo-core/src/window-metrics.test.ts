import { describe, expect, it } from "vitest";
import { workbookTiers, type AlertTier } from "./alert-tier.js";
import { STATUS_WINDOWS, burnRatesAt } from "./evaluate.js";
import { buildPrefixSums } from "./prefix-sums.js";
import { DAY_MS, MINUTE_MS } from "./time-units.js";
import { metricWindows, windowMetrics } from "./window-metrics.js";

const tier = (name: string, longMin: number, shortMin: number | null): AlertTier => ({
  name,
  severity: "page",
  longWindowMs: longMin * MINUTE_MS,
  shortWindowMs: shortMin === null ? null : shortMin * MINUTE_MS,
  factor: 2,
});

describe("metricWindows", () => {
  it.each([
    { name: "workbook tiers add nothing", tiers: workbookTiers(28 * DAY_MS), extra: [] as string[] },
    { name: "no tiers", tiers: [], extra: [] },
    { name: "a 90 min / 10 min tier", tiers: [tier("custom", 90, 10)], extra: ["10m", "90m"] },
    { name: "a single 60 min window", tiers: [tier("single", 60, null)], extra: [] },
  ])("$name", ({ tiers, extra }) => {
    const got = metricWindows(tiers);
    expect(got.map((w) => w.window).sort()).toEqual([...Object.keys(STATUS_WINDOWS), ...extra].sort());
    const ms = got.map((w) => w.windowMs);
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
  });
});

describe("windowMetrics", () => {
  // 3 days + 2 h of minutes: 100 requests a minute, the last hour 10 bad a minute, before it 1 bad a minute.
  const minutes = 3 * 24 * 60 + 120;
  const startMs = 0;
  const good = Array.from({ length: minutes }, (_, i) => (i >= minutes - 60 ? 90 : 99));
  const total = Array.from({ length: minutes }, () => 100);
  const p = buildPrefixSums({ startMs, good, total });
  const toMs = startMs + minutes * MINUTE_MS;

  it.each([
    { window: "5m", sli: 0.9, burn: 0.1 / 0.001 },
    { window: "1h", sli: 0.9, burn: 0.1 / 0.001 },
    { window: "2h", sli: 0.945, burn: 0.055 / 0.001 },
    { window: "90m", sli: (60 * 90 + 30 * 99) / (90 * 100), burn: (1 - (60 * 90 + 30 * 99) / 9000) / 0.001 },
  ])("$window: SLI $sli, burn $burn", ({ window, sli, burn }) => {
    const got = windowMetrics(p, toMs, 0.999, [tier("custom", 90, 10)]).find((w) => w.window === window)!;
    expect(got.sli).toBeCloseTo(sli, 12);
    expect(got.burnRate).toBeCloseTo(burn, 9);
  });

  it("gives exactly the status burn rates for the status windows", () => {
    const status = burnRatesAt(p, toMs, 0.995);
    for (const w of windowMetrics(p, toMs, 0.995, workbookTiers(30 * DAY_MS)))
      expect(w.burnRate).toBe(status[w.window as keyof typeof STATUS_WINDOWS]);
  });

  it("a window with no traffic is no data, not 100%", () => {
    const quiet = buildPrefixSums({ startMs, good: [0, 0], total: [0, 0] });
    for (const w of windowMetrics(quiet, 2 * MINUTE_MS, 0.99, []))
      expect([w.sli, w.burnRate]).toEqual([null, null]);
  });
});
