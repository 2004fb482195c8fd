import { describe, expect, it } from "vitest";
import { MINUTES_PER_DAY, type ActiveHours } from "./oncall-active-hours.js";
import {
  leastSquaresSlope,
  median,
  minuteRanges,
  rotationPages,
  rotationsIndicator,
  rotationWeek,
  ttrTrend,
  type RotationInput,
} from "./ops-indicators.js";
import { DAY_MS, MINUTE_MS } from "./time-units.js";

const ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const h = (n: number) => n * 60;
/** Monday 2025-01-06 00:00 UTC */
const MONDAY = Date.UTC(2025, 0, 6);
/** ISO 2025 week 1 starts Monday 2024-12-30; its 4-week periods P1..P5 */
const P0 = Date.UTC(2024, 11, 30);
const periods = [0, 1, 2, 3, 4].map((k) => ({
  startMs: P0 + k * 28 * DAY_MS,
  endMs: P0 + (k + 1) * 28 * DAY_MS,
}));

/** An incident starting `day` days into period `k` (0-based) that took `minutes` to recover. */
const inc = (k: number, day: number, minutes: number) => {
  const startedAtMs = P0 + k * 28 * DAY_MS + day * DAY_MS + h(10) * MINUTE_MS;
  return { startedAtMs, resolvedAtMs: startedAtMs + minutes * MINUTE_MS };
};

describe("ttrTrend (book Fig 11.15: service 1, team 1, Prod-us)", () => {
  // P1 = 30 and 90 min, P2 = 60, P3 none, P4 = 60, P5 = 120
  const book = [inc(0, 3, 30), inc(0, 20, 90), inc(1, 5, 60), inc(3, 10, 60), inc(4, 2, 120)];

  it("places each incident's TTR in its period, with count, mean and median per period", () => {
    const t = ttrTrend(book, periods);
    expect(t.periods.map((p) => p.ttrMinutes)).toEqual([[30, 90], [60], [], [60], [120]]);
    expect(t.periods.map((p) => p.count)).toEqual([2, 1, 0, 1, 1]);
    expect(t.periods.map((p) => p.meanMinutes)).toEqual([60, 60, null, 60, 120]);
    expect(t.periods.map((p) => p.medianMinutes)).toEqual([60, 60, null, 60, 120]);
  });
  it("gives the year's mean of 72 min and an upward trendline (+15 min per incident, ≈ +10.9 per period)", () => {
    const t = ttrTrend(book, periods);
    expect(t.count).toBe(5);
    expect(t.meanMinutes).toBe(72);
    expect(t.medianMinutes).toBe(60);
    expect(t.slopePerIncident).toBeCloseTo(15, 10);
    expect(t.slopePerPeriod).toBeCloseTo(10.9, 1);
    expect(t.slopePerPeriod).toBeCloseTo((2.5 * 72) / 16.5, 10);
    expect(t.direction).toBe("up");
  });
  it("leaves out open incidents and those outside the periods; too few points give no trend", () => {
    const open = { startedAtMs: P0 + DAY_MS, resolvedAtMs: null };
    const before = { startedAtMs: P0 - DAY_MS, resolvedAtMs: P0 };
    const t = ttrTrend([open, before, inc(2, 1, 45)], periods);
    expect(t.count).toBe(1);
    expect(t.periods[2]!.ttrMinutes).toEqual([45]);
    expect(t.slopePerIncident).toBeNull();
    expect(t.direction).toBeNull();
  });
  it("sees a downward and a flat trend", () => {
    expect(ttrTrend([inc(0, 1, 120), inc(1, 1, 60), inc(2, 1, 30)], periods).direction).toBe("down");
    expect(ttrTrend([inc(0, 1, 60), inc(1, 1, 60)], periods).direction).toBe("flat");
  });
  it("is empty without incidents", () => {
    const t = ttrTrend([], periods);
    expect(t).toMatchObject({ count: 0, meanMinutes: null, medianMinutes: null, slopePerPeriod: null });
    expect(t.periods).toHaveLength(5);
  });
});

describe("median, leastSquaresSlope, minuteRanges", () => {
  it.each([
    [[], null],
    [[5], 5],
    [[30, 90], 60],
    [[120, 30, 60], 60],
  ])("median(%j) = %j", (xs, want) => expect(median(xs)).toBe(want));
  it("slope of a line and of a vertical set", () => {
    expect(
      leastSquaresSlope([
        { x: 1, y: 2 },
        { x: 2, y: 4 },
        { x: 3, y: 6 },
      ]),
    ).toBe(2);
    expect(
      leastSquaresSlope([
        { x: 1, y: 2 },
        { x: 1, y: 4 },
      ]),
    ).toBeNull();
  });
  it("finds runs, including one reaching midnight", () => {
    const day = Array.from({ length: MINUTES_PER_DAY }, (_, m) => (m >= 60 && m < 300) || m >= 1380);
    expect(minuteRanges(day)).toEqual([
      { from: 60, to: 300 },
      { from: 1380, to: 1440 },
    ]);
  });
});

/** Daily UTC hours from..to, every day of the week. */
const daily = (...spans: [number, number][]): ActiveHours =>
  spans.map(([from, to]) => ({ days: [...ALL_DAYS], fromMinute: h(from), toMinute: h(to) }));
const rotation = (id: string, hours: ActiveHours, services: string[], people: string[]): RotationInput => ({
  id,
  name: `Rotation ${id}`,
  week: rotationWeek({ timeZone: "UTC", layers: [{ activeHours: hours, startsAtMs: 0 }] }, MONDAY),
  services,
  people,
});

describe("rotationsIndicator (book Fig 11.14: team 2, Prod-us)", () => {
  // Rotation 2 reads as the prose has it: 08:00–16:00 and 19:00–21:00 UTC
  const book = [
    rotation("1", daily([7, 19]), ["service-1"], ["ann", "bob"]),
    rotation("2", daily([8, 16], [19, 21]), ["service-2", "service-3"], ["cat", "dan"]),
    rotation("3", daily([1, 5]), ["service-1"], ["eve"]),
    rotation("4", daily([1, 4]), ["service-2"], ["fay"]),
    rotation("5", daily([2, 5]), ["service-3"], ["gus"]),
  ];
  const every = [...ALL_DAYS];

  it("lists each rotation's covered UTC hours, services and people", () => {
    const r = rotationsIndicator(book);
    expect(
      r.rotations.map((x) => ({ id: x.id, c: x.coverage, s: x.services, p: x.people, hw: x.hoursPerWeek })),
    ).toEqual([
      { id: "1", c: [{ days: every, ranges: [{ from: h(7), to: h(19) }] }], s: ["service-1"], p: 2, hw: 84 },
      {
        id: "2",
        c: [
          {
            days: every,
            ranges: [
              { from: h(8), to: h(16) },
              { from: h(19), to: h(21) },
            ],
          },
        ],
        s: ["service-2", "service-3"],
        p: 2,
        hw: 70,
      },
      { id: "3", c: [{ days: every, ranges: [{ from: h(1), to: h(5) }] }], s: ["service-1"], p: 1, hw: 28 },
      { id: "4", c: [{ days: every, ranges: [{ from: h(1), to: h(4) }] }], s: ["service-2"], p: 1, hw: 21 },
      { id: "5", c: [{ days: every, ranges: [{ from: h(2), to: h(5) }] }], s: ["service-3"], p: 1, hw: 21 },
    ]);
    expect(r.peopleOnRotations).toBe(7);
    expect(r.distinctPeople).toBe(7);
  });
  it("derives per-service coverage: 16, 13 and 13 h a day, none 24/7", () => {
    const r = rotationsIndicator(book);
    expect(
      r.services.map((s) => ({
        s: s.service,
        perDay: s.hoursPerDay,
        covered: s.coverage[0]!.ranges,
        uncovered: s.uncovered[0]!.ranges,
        allDays: s.uncovered[0]!.days.length,
        around: s.aroundTheClock,
      })),
    ).toEqual([
      {
        s: "service-1",
        perDay: 16,
        covered: [
          { from: h(1), to: h(5) },
          { from: h(7), to: h(19) },
        ],
        uncovered: [
          { from: 0, to: h(1) },
          { from: h(5), to: h(7) },
          { from: h(19), to: h(24) },
        ],
        allDays: 7,
        around: false,
      },
      {
        s: "service-2",
        perDay: 13,
        covered: [
          { from: h(1), to: h(4) },
          { from: h(8), to: h(16) },
          { from: h(19), to: h(21) },
        ],
        uncovered: [
          { from: 0, to: h(1) },
          { from: h(4), to: h(8) },
          { from: h(16), to: h(19) },
          { from: h(21), to: h(24) },
        ],
        allDays: 7,
        around: false,
      },
      {
        s: "service-3",
        perDay: 13,
        covered: [
          { from: h(2), to: h(5) },
          { from: h(8), to: h(16) },
          { from: h(19), to: h(21) },
        ],
        uncovered: [
          { from: 0, to: h(2) },
          { from: h(5), to: h(8) },
          { from: h(16), to: h(19) },
          { from: h(21), to: h(24) },
        ],
        allDays: 7,
        around: false,
      },
    ]);
  });
  it("reads the table's literal 07:00–21:00 for rotation 2 as 17 h a day for services 2 and 3", () => {
    const literal = [...book];
    literal[1] = rotation("2", daily([7, 21]), ["service-2", "service-3"], ["cat", "dan"]);
    expect(rotationsIndicator(literal).services.map((s) => s.hoursPerDay)).toEqual([16, 17, 17]);
  });
  it("shows a service no rotation covers, and 24/7 coverage", () => {
    const r = rotationsIndicator([rotation("a", null, ["api"], ["x"])], ["api", "batch"]);
    expect(r.services.map((s) => [s.service, s.hoursPerDay, s.aroundTheClock, s.rotations])).toEqual([
      ["api", 24, true, 1],
      ["batch", 0, false, 0],
    ]);
    expect(r.services[0]!.uncovered).toEqual([]);
  });
  it("groups weekdays apart from weekends, in the rotation's zone (8x5 in New York is 14–22 UTC in January)", () => {
    const hours: ActiveHours = [
      { days: ["mon", "tue", "wed", "thu", "fri"], fromMinute: h(9), toMinute: h(17) },
    ];
    const week = rotationWeek(
      { timeZone: "America/New_York", layers: [{ activeHours: hours, startsAtMs: 0 }] },
      MONDAY,
    );
    const r = rotationsIndicator([{ id: "n", name: "n", week, services: ["s"], people: ["a", "a", "b"] }]);
    expect(r.rotations[0]!.coverage).toEqual([
      { days: ["mon", "tue", "wed", "thu", "fri"], ranges: [{ from: h(14), to: h(22) }] },
    ]);
    expect(r.rotations[0]!.people).toBe(2);
    expect(r.rotations[0]!.hoursPerWeek).toBe(40);
  });
  it("does not count a layer before it starts", () => {
    const week = rotationWeek(
      { timeZone: "UTC", layers: [{ activeHours: null, startsAtMs: MONDAY + 3 * DAY_MS }] },
      MONDAY,
    );
    expect(week.map((d) => d.filter(Boolean).length)).toEqual([0, 0, 0, 1440, 1440, 1440, 1440]);
  });
});

describe("rotationPages", () => {
  it("counts pages per shift, those outside coverage, and the median time to acknowledge", () => {
    const t = Date.UTC(2025, 0, 6, 10);
    const r = rotationPages(
      [
        { detectedAtMs: t, acknowledgedAtMs: t + 2 * MINUTE_MS, covered: true },
        { detectedAtMs: t, acknowledgedAtMs: t + 10 * MINUTE_MS, covered: true },
        { detectedAtMs: t, acknowledgedAtMs: t + 4 * MINUTE_MS, covered: false },
        { detectedAtMs: t, acknowledgedAtMs: null, covered: false },
      ],
      8,
    );
    expect(r).toEqual({
      pages: 4,
      shifts: 8,
      pagesPerShift: 0.5,
      outsideCoverage: 2,
      medianAckMinutes: 4,
      unacknowledged: 1,
    });
    expect(rotationPages([], 0).pagesPerShift).toBeNull();
  });
});

describe("coveredMinutesOfUtcDay", () => {
  it("equals a minute-by-minute check across a DST change, with a layer starting mid-day", async () => {
    const { ACTIVE_HOURS_PRESETS, isActiveAt } = await import("./oncall-active-hours.js");
    // Europe/Berlin springs forward on Sunday 2025-03-30
    const monday = Date.UTC(2025, 2, 24);
    const start = Date.UTC(2025, 2, 25, 13, 17);
    const r = {
      timeZone: "Europe/Berlin",
      layers: [
        { activeHours: ACTIVE_HOURS_PRESETS["16x7"] as ActiveHours, startsAtMs: start },
        { activeHours: ACTIVE_HOURS_PRESETS["8x5"] as ActiveHours, startsAtMs: 0 },
      ],
    };
    const week = rotationWeek(r, monday);
    for (let d = 0; d < 7; d++)
      for (let m = 0; m < MINUTES_PER_DAY; m++) {
        const at = monday + d * DAY_MS + m * MINUTE_MS;
        const want = r.layers.some((l) => at >= l.startsAtMs && isActiveAt(l.activeHours, r.timeZone, at));
        if (week[d]![m] !== want) throw new Error(`day ${d} minute ${m}: ${week[d]![m]} != ${want}`);
      }
    expect(week[0]!.filter(Boolean).length).toBe(8 * 60);
  });
});
