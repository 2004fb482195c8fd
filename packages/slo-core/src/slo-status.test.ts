import { describe, expect, it } from "vitest";
import { workbookTiers } from "./alert-tier.js";
import { DEFAULT_LOW_TRAFFIC_GUARD } from "./decide-tier.js";
import { remainingBudget } from "./error-budget.js";
import type { MinuteSeries } from "./prefix-sums.js";
import {
  chooseStepMs,
  computeStatus,
  maxLookbackMs,
  minuteEnd,
  resolveTiers,
  seriesPoints,
  statusRange,
  type SloModel,
} from "./slo-status.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "./time-units.js";

const MAR = Date.parse("2026-03-01T00:00:00Z");
const model: SloModel = {
  objective: 0.999,
  window: { type: "calendar", period: "month" },
  method: "occurrences",
  tiers: workbookTiers(31 * DAY_MS),
  guard: DEFAULT_LOW_TRAFFIC_GUARD,
};

/** `minutes` of 1000 req/min from March 1st; minutes in [badFrom, badTo) have `bad` failures. */
function series(minutes: number, badFrom: number, badTo: number, bad: number): MinuteSeries {
  const total = new Float64Array(minutes).fill(1000);
  const good = total.map((t, i) => (i >= badFrom && i < badTo ? t - bad : t));
  return { startMs: MAR, good, total };
}

describe("resolveTiers", () => {
  it.each([
    {
      name: "workbook tiers by default",
      spec: null,
      names: ["fast-page", "slow-page", "fast-ticket", "slow-ticket"],
    },
    {
      name: "minus disabled ones",
      spec: { disabledTiers: ["slow-ticket"] },
      names: ["fast-page", "slow-page", "fast-ticket"],
    },
    {
      name: "custom single-window tier",
      spec: {
        tiers: [
          {
            name: "book",
            severity: "page" as const,
            longWindowMinutes: 60,
            shortWindowMinutes: null,
            factor: 2,
          },
        ],
      },
      names: ["book"],
    },
  ])("$name", ({ spec, names }) => {
    expect(resolveTiers(spec, 30 * DAY_MS).map((t) => t.name)).toEqual(names);
  });

  it("computes a factor from a budget percent", () => {
    const [t] = resolveTiers(
      {
        tiers: [
          {
            name: "x",
            severity: "ticket",
            longWindowMinutes: 24 * 60,
            shortWindowMinutes: 120,
            budgetPercent: 30,
          },
        ],
      },
      30 * DAY_MS,
    );
    expect(t?.factor).toBe(9);
    expect(t?.shortWindowMs).toBe(2 * HOUR_MS);
  });
});

describe("status helpers", () => {
  it.each([
    { now: MAR, end: MAR + MINUTE_MS },
    { now: MAR + 59_999, end: MAR + MINUTE_MS },
    { now: MAR + MINUTE_MS, end: MAR + 2 * MINUTE_MS },
  ])("minuteEnd($now) = $end", ({ now, end }) => {
    expect(minuteEnd(now)).toBe(end);
  });

  it("statusRange covers the period and the longest window", () => {
    const now = MAR + DAY_MS;
    expect(maxLookbackMs(model.tiers)).toBe(3 * DAY_MS);
    expect(statusRange(model, now)).toEqual({ fromMs: now + MINUTE_MS - 3 * DAY_MS, toMs: now + MINUTE_MS });
    expect(statusRange(model, MAR + 10 * DAY_MS).fromMs).toBe(MAR);
  });

  it.each([
    { rangeMs: HOUR_MS, step: MINUTE_MS },
    { rangeMs: DAY_MS, step: 10 * MINUTE_MS },
    { rangeMs: 28 * DAY_MS, step: 3 * HOUR_MS },
    { rangeMs: 3650 * DAY_MS, step: DAY_MS },
  ])("chooseStepMs over $rangeMs ms → $step", ({ rangeMs, step }) => {
    expect(chooseStepMs(0, rangeMs)).toBe(step);
  });
});

describe("computeStatus", () => {
  it("a full outage in the last 10 minutes pages and spends the budget", () => {
    const minutes = 2 * 24 * 60;
    const s = series(minutes, minutes - 10, minutes, 1000);
    const now = MAR + (minutes - 1) * MINUTE_MS + 30_000; // inside the last minute
    const st = computeStatus(model, s, now);
    expect(st.counts).toEqual({ total: minutes * 1000, good: (minutes - 10) * 1000 });
    expect(st.bad).toBe(10_000);
    expect(st.remaining).toBeCloseTo(remainingBudget(st.counts, 0.999), 12);
    expect(st.burnRates["5m"]).toBeCloseTo(1000, 9);
    expect(st.tiers.find((t) => t.tier === "fast-page")?.firing).toBe(true);
    expect(st.timeToExhaustionHours).toBe(0);
  });

  // December: 44,640 minutes. One day of 1000 req/min in which 96 minutes each have 60 failures (SLI 94%):
  // 5,760 bad requests, or 96 bad minutes. Each method states its unit and keeps all three fields in it.
  it.each([
    { method: "occurrences", unit: "requests", allowed: 1440, bad: 5760, remaining: -3 },
    { method: "timeslices", unit: "minutes", allowed: 44.64, bad: 96, remaining: 1 - 96 / 44.64 },
  ] as const)("$method: allowed $allowed, bad $bad $unit", ({ method, unit, allowed, bad, remaining }) => {
    const DEC = Date.parse("2026-12-01T00:00:00Z");
    const minutes = 24 * 60;
    const total = new Float64Array(minutes).fill(1000);
    const good = total.map((t, i) => (i >= 100 && i < 196 ? t - 60 : t));
    const st = computeStatus(
      { ...model, method },
      { startMs: DEC, good, total },
      DEC + (minutes - 1) * MINUTE_MS,
    );
    expect(st.period).toEqual({ startMs: DEC, endMs: Date.parse("2027-01-01T00:00:00Z") });
    expect(st.counts).toEqual({ total: 1_440_000, good: 1_440_000 - 5760 });
    expect({ unit: st.unit, allowed: st.allowed, bad: st.bad }).toEqual({ unit, allowed, bad });
    expect(st.remaining).toBeCloseTo(remaining, 12);
    expect(st.remaining).toBeCloseTo(1 - st.bad / st.allowed, 12);
  });

  it.each([
    // 1 bad request in the last hour of 60,000: burn 1/60 — about 1,860 days to run out, past March's end.
    { bad: 1, exhaustion: "beyond_period" },
    // 5% failing in the last 10 minutes: burn 8.3 over 1 h, out in about 3.6 days, within March.
    { bad: 50, exhaustion: "within_period" },
  ])("$bad bad per minute in the last minutes: $exhaustion", ({ bad, exhaustion }) => {
    const minutes = 24 * 60;
    const s = series(minutes, minutes - (bad === 1 ? 1 : 10), minutes, bad);
    const st = computeStatus(model, s, MAR + (minutes - 1) * MINUTE_MS);
    const leftMs = Date.parse("2026-04-01T00:00:00Z") - (MAR + (minutes - 1) * MINUTE_MS);
    expect(st.exhaustion).toBe(exhaustion);
    expect(st.timeToExhaustionHours! * HOUR_MS > leftMs).toBe(exhaustion === "beyond_period");
  });

  it.each([
    // 6 of the last 60 minutes bad (10%): 100× the 0.1% of minutes allowed. 1 − 6/44.64 of December's 744 h
    // lasts 6.44 h at that rate (the request burn rate, 0.6% failing or 6×, would say 107.3 h).
    { badMinutes: 6, tte: ((1 - 6 / 44.64) * 744) / 100 },
    { badMinutes: 0, tte: null },
  ])("timeslices projects with bad minutes: $badMinutes in the last hour → $tte h", ({ badMinutes, tte }) => {
    const DEC = Date.parse("2026-12-01T00:00:00Z");
    const minutes = 24 * 60;
    const total = new Float64Array(minutes).fill(1000);
    const good = total.map((t, i) => (i >= minutes - badMinutes ? t - 60 : t));
    const st = computeStatus(
      { ...model, method: "timeslices" },
      { startMs: DEC, good, total },
      DEC + (minutes - 1) * MINUTE_MS,
    );
    expect(st.bad).toBe(badMinutes);
    if (tte === null) expect(st.timeToExhaustionHours).toBeNull();
    else expect(st.timeToExhaustionHours).toBeCloseTo(tte, 9);
  });

  it("timeslices counts bad minutes against the month", () => {
    const minutes = 24 * 60;
    const s = series(minutes, 0, 5, 50); // 5 bad minutes
    const st = computeStatus({ ...model, method: "timeslices" }, s, MAR + (minutes - 1) * MINUTE_MS);
    expect(st.remaining).toBeCloseTo(1 - 5 / (0.001 * 31 * 24 * 60), 12);
  });
});

describe("seriesPoints", () => {
  it("each point's remaining is the budget at its own time", () => {
    const s = series(180, 60, 120, 10); // 1% errors in the second hour
    const pts = seriesPoints(model, s, MAR, MAR + 3 * HOUR_MS, HOUR_MS);
    expect(pts.map((p) => p.t)).toEqual([MAR + HOUR_MS, MAR + 2 * HOUR_MS, MAR + 3 * HOUR_MS]);
    expect(pts.map((p) => p.total)).toEqual([60_000, 60_000, 60_000]);
    expect(pts[0]?.remaining).toBe(1);
    expect(pts[1]?.remaining).toBeCloseTo(
      remainingBudget({ good: 120_000 - 600, total: 120_000 }, 0.999),
      12,
    );
    expect(pts[2]?.remaining).toBeCloseTo(
      remainingBudget({ good: 180_000 - 600, total: 180_000 }, 0.999),
      12,
    );
    expect(pts[1]?.burnRate1h).toBeCloseTo(10, 9);
  });

  it("gives each tier window its own burn rate, ending at the point's time", () => {
    const s = series(180, 60, 120, 10); // 1% errors in the second hour, none in the third
    const pts = seriesPoints(model, s, MAR, MAR + 3 * HOUR_MS, HOUR_MS);
    expect(Object.keys(pts[0]!.burnRates)).toEqual(["5m", "30m", "1h", "2h", "6h", "1d", "3d"]);
    // at the end of the second hour: 5 m, 30 m and 1 h all see 1% errors (10×); 2 h sees half of it
    expect(pts[1]!.burnRates["5m"]).toBeCloseTo(10, 9);
    expect(pts[1]!.burnRates["1h"]).toBeCloseTo(10, 9);
    expect(pts[1]!.burnRates["2h"]).toBeCloseTo(5, 9);
    // at the end of the third hour the short windows are clean again, the long ones still remember
    expect(pts[2]!.burnRates["5m"]).toBe(0);
    expect(pts[2]!.burnRates["1h"]).toBe(0);
    expect(pts[2]!.burnRates["2h"]).toBeCloseTo(5, 9);
    expect(pts[2]!.burnRates["3d"]).toBeCloseTo(10 / 3, 9);
  });

  it("a window with no traffic has no burn rate (null), not 0", () => {
    const s = series(60, 0, 0, 0);
    const pts = seriesPoints(model, s, MAR + 2 * HOUR_MS, MAR + 3 * HOUR_MS, HOUR_MS);
    expect(pts[0]!.burnRates["1h"]).toBeNull();
    expect(pts[0]!.burnRates["3d"]).toBe(0);
  });
});
