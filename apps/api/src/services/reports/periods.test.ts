import {
  DEFAULT_LOW_TRAFFIC_GUARD,
  HOUR_MS,
  MINUTE_MS,
  periodAt,
  workbookTiers,
  type SloModel,
  type SloWindow,
} from "@burnrate/slo-core";
import { describe, expect, it } from "vitest";
import { analysePeriod } from "./periods";

const NOW = Date.parse("2026-12-06T04:00:00Z");
const model = (window: SloWindow): SloModel => ({
  objective: 0.999,
  window,
  method: "occurrences",
  tiers: workbookTiers(28 * 24 * HOUR_MS),
  guard: DEFAULT_LOW_TRAFFIC_GUARD,
});
const cal = (period: "4w" | "quarter", timeZone: string): SloWindow => ({
  type: "calendar",
  period,
  timeZone,
});

/**
 * From `fromMs` to NOW: 10 good requests a minute from `trafficFromMs`, and one hour of 1,000 failing requests
 * a minute ending at `burstEndMs`, which spends the whole budget at once.
 */
function series(fromMs: number, trafficFromMs: number, burstEndMs: number) {
  const n = Math.round((NOW - fromMs) / MINUTE_MS);
  const good = new Float64Array(n);
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = fromMs + i * MINUTE_MS;
    if (t >= burstEndMs - HOUR_MS && t < burstEndMs) total[i] = 1000;
    else if (t >= trafficFromMs) total[i] = good[i] = 10;
  }
  return { startMs: fromMs, good, total };
}

const BURST_END = Date.parse("2026-12-01T16:00:00Z"); // Dec 2, 01:00 in Tokyo; Dec 1, 17:00 in Berlin

describe("the periods grid reads every date in the SLO's own zone", () => {
  it.each([
    {
      w: cal("quarter", "UTC"),
      dates: { timeZone: "UTC", firstDay: "2026-10-01", lastDay: "2026-12-31", days: 92 },
      exhaustedOn: "2026-12-01",
      exhaustedDay: 62,
      hours: 61 * 24 + 16,
    },
    {
      w: cal("quarter", "Europe/Berlin"),
      dates: { timeZone: "Europe/Berlin", firstDay: "2026-10-01", lastDay: "2026-12-31", days: 92 },
      exhaustedOn: "2026-12-01",
      exhaustedDay: 62,
      hours: 61 * 24 + 18,
    },
    {
      // Was "Sep 30 – Dec 31" with "ran out Dec 1 (day 63)": the viewer's zone for one, Tokyo's for the other.
      w: cal("quarter", "Asia/Tokyo"),
      dates: { timeZone: "Asia/Tokyo", firstDay: "2026-10-01", lastDay: "2026-12-31", days: 92 },
      exhaustedOn: "2026-12-02",
      exhaustedDay: 63,
      hours: 62 * 24 + 1,
    },
    {
      w: cal("4w", "UTC"),
      dates: { timeZone: "UTC", firstDay: "2026-11-30", lastDay: "2027-01-03", days: 35 },
      exhaustedOn: "2026-12-01",
      exhaustedDay: 2,
      hours: 24 + 16,
    },
    {
      // Was "Nov 29 – Jan 3" to a UTC viewer.
      w: cal("4w", "Europe/Berlin"),
      dates: { timeZone: "Europe/Berlin", firstDay: "2026-11-30", lastDay: "2027-01-03", days: 35 },
      exhaustedOn: "2026-12-01",
      exhaustedDay: 2,
      hours: 24 + 17,
    },
    {
      w: cal("4w", "Asia/Tokyo"),
      dates: { timeZone: "Asia/Tokyo", firstDay: "2026-11-30", lastDay: "2027-01-03", days: 35 },
      exhaustedOn: "2026-12-02",
      exhaustedDay: 3,
      hours: 2 * 24 + 1,
    },
  ])("$w.period in $w.timeZone", ({ w, dates, exhaustedOn, exhaustedDay, hours }) => {
    const period = periodAt(w, NOW);
    const a = analysePeriod(model(w), series(period.startMs, period.startMs, BURST_END), period, NOW);
    expect(a.dates).toEqual(dates);
    expect(a).toMatchObject({
      exhausted: true,
      exhaustedAt: BURST_END,
      exhaustedOn,
      exhaustedDay,
      timeToExhaustionHours: hours,
      historyDays: null,
    });
  });
});

describe("a rolling window's exhaustion", () => {
  const rolling: SloWindow = { type: "rolling", days: 28 };
  const period = periodAt(rolling, NOW);

  it("with 2 days of data, counts from the data and says how much there is (was 'after 26.6 days')", () => {
    const dataFrom = NOW - 48 * HOUR_MS;
    const burstEnd = Date.parse("2026-12-04T19:00:00Z");
    const a = analysePeriod(model(rolling), series(period.startMs, dataFrom, burstEnd), period, NOW);
    expect(a).toMatchObject({
      exhaustedAt: burstEnd,
      timeToExhaustionHours: 15,
      historyDays: 2,
      exhaustedOn: "2026-12-04",
      exhaustedDay: 27,
      dates: { timeZone: "UTC", firstDay: "2026-11-08", lastDay: "2026-12-06", days: 28 },
    });
  });

  it("the store's first data decides: data from before the series loaded means the window is covered", () => {
    const dataFrom = NOW - 48 * HOUR_MS;
    const burstEnd = Date.parse("2026-12-04T19:00:00Z");
    const s = series(period.startMs, dataFrom, burstEnd);
    const covered = analysePeriod(model(rolling), s, period, NOW, { firstDataMs: period.startMs - HOUR_MS });
    expect(covered).toMatchObject({ historyDays: null, timeToExhaustionHours: 26 * 24 + 15 });
    const partial = analysePeriod(model(rolling), s, period, NOW, { firstDataMs: dataFrom });
    expect(partial).toMatchObject({ historyDays: 2, timeToExhaustionHours: 15 });
  });

  it("ran out in the last hour of a covered 28-day window: day 28 of 28 (was 'day 29')", () => {
    const a = analysePeriod(model(rolling), series(period.startMs, period.startMs, NOW), period, NOW);
    expect(a).toMatchObject({
      exhaustedAt: NOW,
      timeToExhaustionHours: 28 * 24,
      historyDays: null,
      exhaustedOn: "2026-12-06",
      exhaustedDay: 28,
    });
  });
});
