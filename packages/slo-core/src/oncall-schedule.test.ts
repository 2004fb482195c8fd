import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACTIVE_HOURS_PRESETS, type ActiveHours } from "./oncall-active-hours.js";
import { periodIndexAt, periodStartMs, type Rotation } from "./oncall-rotation.js";
import {
  doubleHoldings,
  handoffsBetween,
  holdersAt,
  listShifts,
  ONCALL_POSITIONS,
  type AcceptedSwap,
  type OncallOverride,
  type OncallPosition,
  type OncallSchedule,
} from "./oncall-schedule.js";
import { DAY_MS, HOUR_MS, WEEK_MS } from "./time-units.js";

const utc = (iso: string): number => Date.parse(iso);
const weekly = (members: string[], activeHours: ActiveHours = null, timeZone = "UTC"): Rotation => ({
  timeZone,
  periodDays: 7,
  handoffMinute: 9 * 60,
  start: { year: 2026, month: 1, day: 5 }, // a Monday
  members,
  activeHours,
});
const schedule = (
  positions: OncallPosition[],
  layers: Rotation[],
  extra: Partial<OncallSchedule> = {},
): OncallSchedule => ({
  positions,
  layers,
  overrides: [],
  swaps: [],
  ...extra,
});
const FIRST_HANDOFF = utc("2026-01-05T09:00:00Z");

describe("the book's rotation tables (Tables 7.3–7.6), periods 1–4", () => {
  const tables: { name: string; members: string[]; expected: Partial<Record<OncallPosition, string>> }[] = [
    { name: "one person, never rotating", members: ["A"], expected: { main: "AAAA" } },
    { name: "one person on call, rotating", members: ["A", "B", "C", "D"], expected: { main: "ABCD" } },
    { name: "main and backup swapping", members: ["A", "B"], expected: { main: "ABAB", backup: "BABA" } },
    {
      name: "three people round-robin",
      members: ["A", "B", "C"],
      expected: { main: "ABCA", backup: "BCAB", backup2: "CABC" },
    },
  ];
  it.each(tables)("$name: holders in the middle of each period", ({ members, expected }) => {
    const positions = Object.keys(expected) as OncallPosition[];
    const s = schedule(positions, [weekly(members)]);
    for (const position of positions) {
      const row = [0, 1, 2, 3].map(
        (k) => holdersAt(s, FIRST_HANDOFF + k * WEEK_MS + 3 * DAY_MS)[position]!.member,
      );
      expect(row.join("")).toBe(expected[position]);
    }
  });
  it.each(tables)("$name: listed shifts, one per position and period", ({ members, expected }) => {
    const positions = Object.keys(expected) as OncallPosition[];
    const shifts = listShifts(
      schedule(positions, [weekly(members)]),
      FIRST_HANDOFF,
      FIRST_HANDOFF + 4 * WEEK_MS,
    );
    for (const position of positions) {
      const mine = shifts.filter((x) => x.position === position);
      expect(mine.map((x) => x.member).join("")).toBe(expected[position]);
      expect(mine.map((x) => x.period)).toEqual([0, 1, 2, 3]);
      expect(mine.map((x) => x.startMs)).toEqual([0, 1, 2, 3].map((k) => FIRST_HANDOFF + k * WEEK_MS));
      expect(mine.every((x) => x.endMs - x.startMs === WEEK_MS)).toBe(true);
    }
  });
  it("hands over exactly at the hand-off time", () => {
    const s = schedule(["main", "backup"], [weekly(["A", "B"])]);
    expect(holdersAt(s, FIRST_HANDOFF + WEEK_MS - 1).main!.member).toBe("A");
    expect(holdersAt(s, FIRST_HANDOFF + WEEK_MS).main!.member).toBe("B");
    expect(holdersAt(s, FIRST_HANDOFF - 1)).toEqual({ main: null, backup: null, backup2: null });
  });
});

describe("hand-off at local time across DST", () => {
  it.each([
    // Europe/Berlin: CET (+1) until 2026-03-29, CEST (+2) until 2026-10-25.
    {
      tz: "Europe/Berlin",
      start: [2026, 3, 23],
      days: 7,
      handoff: "09:00",
      starts: ["2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z", "2026-04-06T07:00:00Z"],
    },
    {
      tz: "Europe/Berlin",
      start: [2026, 10, 19],
      days: 7,
      handoff: "09:00",
      starts: ["2026-10-19T07:00:00Z", "2026-10-26T08:00:00Z", "2026-11-02T08:00:00Z"],
    },
    // New York springs forward from 02:00 to 03:00 on 2026-03-08: a 02:30 hand-off that day, a wall time that
    // never shows, moves on by the skipped hour to 03:30 EDT (as Temporal's "compatible" choice does).
    {
      tz: "America/New_York",
      start: [2026, 3, 7],
      days: 1,
      handoff: "02:30",
      starts: ["2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"],
    },
    // Sydney leaves daylight time on 2026-04-05 (+11 → +10).
    {
      tz: "Australia/Sydney",
      start: [2026, 3, 30],
      days: 7,
      handoff: "08:00",
      starts: ["2026-03-29T21:00:00Z", "2026-04-05T22:00:00Z", "2026-04-12T22:00:00Z"],
    },
  ])("$tz every $days day(s) at $handoff", ({ tz, start, days, handoff, starts }) => {
    const [h, m] = handoff.split(":").map(Number);
    const r: Rotation = {
      timeZone: tz,
      periodDays: days,
      handoffMinute: h! * 60 + m!,
      start: { year: start[0]!, month: start[1]!, day: start[2]! },
      members: ["A", "B"],
      activeHours: null,
    };
    expect([0, 1, 2].map((k) => new Date(periodStartMs(r, k)).toISOString())).toEqual(
      starts.map((x) => new Date(x).toISOString()),
    );
    for (const [k, iso] of starts.entries()) {
      expect(periodIndexAt(r, utc(iso))).toBe(k);
      expect(periodIndexAt(r, utc(iso) - 1)).toBe(k - 1);
    }
  });
});

describe("active hours", () => {
  const berlin8x5 = schedule(["main"], [weekly(["A", "B"], ACTIVE_HOURS_PRESETS["8x5"], "Europe/Berlin")]);
  it.each([
    { at: "2026-03-30T06:59:00Z", who: null }, // Mon 08:59 CEST
    { at: "2026-03-30T07:00:00Z", who: "B" }, // Mon 09:00 CEST (the week's hand-off was 09:00 too)
    { at: "2026-03-30T14:59:00Z", who: "B" }, // Mon 16:59
    { at: "2026-03-30T15:00:00Z", who: null }, // Mon 17:00
    { at: "2026-03-27T15:59:00Z", who: "A" }, // Fri 16:59 CET, before the DST change
    { at: "2026-03-28T11:00:00Z", who: null }, // Saturday noon
  ])("8x5 in Berlin at $at: $who", ({ at, who }) => {
    // 2026-01-05 + 11 weeks = 2026-03-23: period 11 (B) from Mon 23 Mar, period 12 (A) from Mon 30 Mar…
    const s: OncallSchedule = {
      ...berlin8x5,
      layers: [{ ...berlin8x5.layers[0]!, start: { year: 2026, month: 3, day: 23 } }],
    };
    const h = holdersAt(s, utc(at)).main;
    expect(h?.member ?? null).toBe(who === null ? null : who === "B" ? "B" : "A");
  });

  it("an 8x5 week lists five shifts, Monday to Friday 09:00–17:00 local, none across the weekend", () => {
    const s = schedule(
      ["main"],
      [
        {
          ...weekly(["A", "B"], ACTIVE_HOURS_PRESETS["8x5"], "Europe/Berlin"),
          start: { year: 2026, month: 3, day: 23 },
        },
      ],
    );
    const shifts = listShifts(s, utc("2026-03-27T00:00:00Z"), utc("2026-04-04T00:00:00Z"));
    expect(
      shifts.map((x) => [new Date(x.startMs).toISOString(), new Date(x.endMs).toISOString(), x.member]),
    ).toEqual([
      ["2026-03-27T08:00:00.000Z", "2026-03-27T16:00:00.000Z", "A"], // Fri, CET
      ["2026-03-30T07:00:00.000Z", "2026-03-30T15:00:00.000Z", "B"], // Mon, CEST, next period
      ["2026-03-31T07:00:00.000Z", "2026-03-31T15:00:00.000Z", "B"],
      ["2026-04-01T07:00:00.000Z", "2026-04-01T15:00:00.000Z", "B"],
      ["2026-04-02T07:00:00.000Z", "2026-04-02T15:00:00.000Z", "B"],
      ["2026-04-03T07:00:00.000Z", "2026-04-03T15:00:00.000Z", "B"],
    ]);
  });

  it("business-hours team layer first, out-of-hours regional layer second: one holder at every hour of the week", () => {
    const team = weekly(["dev1", "dev2"], ACTIVE_HOURS_PRESETS["8x5"], "Europe/Berlin");
    const region = weekly(["ops1", "ops2"], ACTIVE_HOURS_PRESETS["16x7"], "Europe/Berlin");
    const s = schedule(["main"], [team, region]);
    const monday = utc("2026-02-02T00:00:00Z"); // Mon 01:00 CET
    expect(holdersAt(s, monday + 9 * HOUR_MS).main!.member).toMatch(/^dev/); // 10:00 local
    expect(holdersAt(s, monday + 21 * HOUR_MS).main!.member).toMatch(/^ops/); // 22:00 local
    const shifts = listShifts(s, monday, monday + WEEK_MS);
    const covered = shifts.reduce((sum, x) => sum + (x.endMs - x.startMs), 0);
    expect(covered).toBe(WEEK_MS);
    expect(shifts.filter((x) => x.layer === 0).reduce((sum, x) => sum + x.endMs - x.startMs, 0)).toBe(
      40 * HOUR_MS,
    );
  });
});

describe("overrides and swaps", () => {
  const base = schedule(["main", "backup"], [weekly(["A", "B"])]);
  const mid = FIRST_HANDOFF + 2 * DAY_MS;
  it("an override replaces the holder of one position for its window only", () => {
    const s = {
      ...base,
      overrides: [{ position: "main" as const, member: "C", fromMs: mid, toMs: mid + HOUR_MS }],
    };
    expect(holdersAt(s, mid - 1).main!.member).toBe("A");
    expect(holdersAt(s, mid).main).toMatchObject({ member: "C", source: "override" });
    expect(holdersAt(s, mid).backup).toMatchObject({ member: "B", source: "rotation" });
    expect(holdersAt(s, mid + HOUR_MS).main!.member).toBe("A");
    const shifts = listShifts(s, FIRST_HANDOFF, FIRST_HANDOFF + WEEK_MS).filter((x) => x.position === "main");
    expect(shifts.map((x) => [x.member, x.source, x.endMs - x.startMs])).toEqual([
      ["A", "rotation", 2 * DAY_MS],
      ["C", "override", HOUR_MS],
      ["A", "rotation", 5 * DAY_MS - HOUR_MS],
    ]);
  });
  it("the override listed last wins where two overlap", () => {
    const s = {
      ...base,
      overrides: [
        { position: "main" as const, member: "C", fromMs: mid, toMs: mid + 2 * HOUR_MS },
        { position: "main" as const, member: "D", fromMs: mid + HOUR_MS, toMs: mid + 3 * HOUR_MS },
      ],
    };
    expect([0, 1, 2, 3].map((h) => holdersAt(s, mid + h * HOUR_MS).main!.member).join("")).toBe("CDDA");
  });
  it("an accepted swap gives every position the requester holds to the acceptor", () => {
    const s = { ...base, swaps: [{ requester: "B", acceptor: "E", fromMs: mid, toMs: mid + DAY_MS }] };
    expect(holdersAt(s, mid)).toMatchObject({
      main: { member: "A" },
      backup: { member: "E", source: "swap" },
    });
    // next week B is main: the swap has ended by then
    expect(holdersAt(s, FIRST_HANDOFF + WEEK_MS).main!.member).toBe("B");
  });
  it("overrides do not extend active hours", () => {
    const s = schedule(["main"], [weekly(["A"], ACTIVE_HOURS_PRESETS["8x5"])], {
      overrides: [{ position: "main", member: "C", fromMs: FIRST_HANDOFF, toMs: FIRST_HANDOFF + DAY_MS }],
    });
    expect(holdersAt(s, FIRST_HANDOFF + 12 * HOUR_MS).main).toBeNull(); // 21:00 UTC, after hours
    expect(holdersAt(s, FIRST_HANDOFF + 2 * HOUR_MS).main!.member).toBe("C");
  });
});

const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Sydney",
  "America/Sao_Paulo",
];
const PRESETS = Object.keys(ACTIVE_HOURS_PRESETS) as (keyof typeof ACTIVE_HOURS_PRESETS)[];
const YEAR_2026 = { min: utc("2026-01-01T00:00:00Z"), max: utc("2027-01-01T00:00:00Z") };
/** Overrides and swaps fall in this span, and so do the ranges listed with them, so that they meet. */
const SPRING_2026 = { min: utc("2026-03-01T00:00:00Z"), max: utc("2026-04-15T00:00:00Z") };

const arbRotation = fc.record({
  timeZone: fc.constantFrom(...ZONES),
  periodDays: fc.integer({ min: 1, max: 14 }),
  handoffMinute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  start: fc.record({
    year: fc.constant(2026),
    month: fc.integer({ min: 1, max: 3 }),
    day: fc.integer({ min: 1, max: 28 }),
  }),
  members: fc.uniqueArray(fc.constantFrom("a", "b", "c", "d", "e", "f"), { minLength: 3, maxLength: 6 }),
  activeHours: fc.constantFrom(...PRESETS).map((p) => ACTIVE_HOURS_PRESETS[p] as ActiveHours),
});
const arbSchedule = fc.record({
  positions: fc.integer({ min: 1, max: 3 }).map((n) => ONCALL_POSITIONS.slice(0, n) as OncallPosition[]),
  layers: fc.array(arbRotation, { minLength: 1, maxLength: 2 }),
  overrides: fc.constant<OncallOverride[]>([]),
  swaps: fc.constant<AcceptedSwap[]>([]),
});
/** The same with overrides and swaps somewhere in 2026. */
const arbWindow = fc
  .tuple(fc.integer(SPRING_2026), fc.integer({ min: 1, max: 5 * DAY_MS }))
  .map(([fromMs, len]) => ({ fromMs, toMs: fromMs + len }));
const arbChangedSchedule = fc.record({
  positions: arbSchedule.map((s) => s.positions),
  layers: fc.array(arbRotation, { minLength: 1, maxLength: 2 }),
  overrides: fc.array(
    fc
      .tuple(fc.constantFrom(...ONCALL_POSITIONS), fc.constantFrom("x", "y"), arbWindow)
      .map(([position, member, w]) => ({ position, member, ...w })),
    { maxLength: 4 },
  ),
  swaps: fc.array(
    fc
      .tuple(fc.constantFrom("a", "b", "c"), fc.constantFrom("y", "z"), arbWindow)
      .map(([requester, acceptor, w]) => ({ requester, acceptor, ...w })),
    { maxLength: 3 },
  ),
});

describe("properties", () => {
  it("every position has exactly one holder while a layer is on duty, none otherwise, and nobody holds two", () => {
    fc.assert(
      fc.property(arbSchedule, fc.integer(YEAR_2026), (s, t) => {
        const h = holdersAt(s, t);
        const onDuty = s.layers.some(
          (r) => t >= periodStartMs(r, 0) && holdersAt({ ...s, layers: [r] }, t).main,
        );
        const held = s.positions.map((p) => h[p]);
        if (!onDuty) return held.every((x) => x === null);
        const members = held.map((x) => x?.member);
        return members.every((m) => m !== undefined) && new Set(members).size === members.length;
      }),
      { numRuns: 300 },
    );
  });

  it("listed shifts agree with holdersAt at any instant, never overlap, and stay in the range", () => {
    fc.assert(
      fc.property(
        arbChangedSchedule,
        fc.integer(SPRING_2026),
        fc.array(fc.integer({ min: 0, max: 21 * DAY_MS - 1 }), { minLength: 5, maxLength: 5 }),
        (s, from, probes) => {
          const to = from + 21 * DAY_MS;
          const shifts = listShifts(s, from, to);
          for (const p of s.positions) {
            const mine = shifts.filter((x) => x.position === p);
            for (let i = 0; i < mine.length; i++) {
              const x = mine[i]!;
              if (x.startMs < from || x.endMs > to || x.endMs <= x.startMs) return false;
              if (i > 0 && mine[i - 1]!.endMs > x.startMs) return false;
            }
            for (const d of probes) {
              const t = from + d;
              const shift = mine.find((x) => x.startMs <= t && t < x.endMs);
              if ((shift?.member ?? null) !== (holdersAt(s, t)[p]?.member ?? null)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });

  it("8x5 and 16x7 split every instant of the week between them, in every zone", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.integer(YEAR_2026), (tz, t) => {
        const at = (hours: ActiveHours) =>
          holdersAt(
            schedule(["main"], [{ ...weekly(["a"], hours, tz), start: { year: 2025, month: 12, day: 1 } }]),
            t,
          ).main !== null;
        return at(ACTIVE_HOURS_PRESETS["8x5"]) !== at(ACTIVE_HOURS_PRESETS["16x7"]);
      }),
      { numRuns: 500 },
    );
  });

  it("the member moving up: backup 1 becomes the next main, backup 2 the next backup 1, main the next backup 2", () => {
    fc.assert(
      fc.property(arbRotation, fc.integer({ min: 0, max: 50 }), (r, k) => {
        const s = schedule(["main", "backup", "backup2"], [{ ...r, activeHours: null }]);
        const now = holdersAt(s, periodStartMs(r, k));
        const next = holdersAt(s, periodStartMs(r, k + 1));
        return (
          next.main!.member === now.backup!.member &&
          next.backup!.member === now.backup2!.member &&
          (r.members.length > 3 || next.backup2!.member === now.main!.member)
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe("handoffsBetween", () => {
  const s = schedule(["main", "backup"], [weekly(["A", "B"], ACTIVE_HOURS_PRESETS["8x5"])], {
    overrides: [
      { position: "main", member: "C", fromMs: FIRST_HANDOFF + HOUR_MS, toMs: FIRST_HANDOFF + 2 * HOUR_MS },
    ],
  });
  it("lists the starts of main shifts after `from` and up to `to` included", () => {
    // Monday 09:00 UTC (period and day start), 10:00 (override), 11:00 (back to A), Tuesday 09:00
    expect(handoffsBetween(s, FIRST_HANDOFF - 1, FIRST_HANDOFF + DAY_MS)).toEqual([
      FIRST_HANDOFF,
      FIRST_HANDOFF + HOUR_MS,
      FIRST_HANDOFF + 2 * HOUR_MS,
      FIRST_HANDOFF + DAY_MS,
    ]);
    // a shift already running at `from` is no hand-off in the range
    expect(handoffsBetween(s, FIRST_HANDOFF, FIRST_HANDOFF + HOUR_MS - 1)).toEqual([]);
    // the end of active hours starts no shift
    expect(handoffsBetween(s, FIRST_HANDOFF + 3 * HOUR_MS, FIRST_HANDOFF + 20 * HOUR_MS)).toEqual([]);
  });
});

describe("periodIndexAt far from the rotation's start", () => {
  const r: Rotation = {
    timeZone: "Europe/Berlin",
    periodDays: 1,
    handoffMinute: 9 * 60,
    start: { year: 2026, month: 12, day: 1 },
    members: ["A", "B"],
    activeHours: null,
  };
  it.each(["0050-01-01T00:00:00Z", "0100-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "9999-12-31T00:00:00Z"])(
    "%s: the period that holds it, found without walking day by day",
    (iso) => {
      const at = utc(iso);
      const k = periodIndexAt(r, at);
      expect(periodStartMs(r, k)).toBeLessThanOrEqual(at);
      expect(periodStartMs(r, k + 1)).toBeGreaterThan(at);
    },
  );
});

describe("doubleHoldings: one member in two positions at once", () => {
  const base = schedule(["main", "backup"], [weekly(["A", "B", "C"])]);
  const mid = FIRST_HANDOFF + 2 * DAY_MS; // period 0: main A, backup B, C off
  it("an override giving the backup the main too is found, for the override's window only", () => {
    const s = {
      ...base,
      overrides: [{ position: "main" as const, member: "B", fromMs: mid, toMs: mid + HOUR_MS }],
    };
    expect(doubleHoldings(s, FIRST_HANDOFF, FIRST_HANDOFF + WEEK_MS)).toEqual([
      { member: "B", positions: ["main", "backup"], fromMs: mid, toMs: mid + HOUR_MS },
    ]);
  });
  it("a swap accepted by the backup of the requester's main is found", () => {
    const s = { ...base, swaps: [{ requester: "A", acceptor: "B", fromMs: mid, toMs: mid + DAY_MS }] };
    expect(doubleHoldings(s, mid - DAY_MS, mid + 2 * DAY_MS)).toEqual([
      { member: "B", positions: ["main", "backup"], fromMs: mid, toMs: mid + DAY_MS },
    ]);
  });
  it("a swap accepted by the member who is off, or an override by an outsider, is none", () => {
    const s = {
      ...base,
      swaps: [{ requester: "A", acceptor: "C", fromMs: mid, toMs: mid + DAY_MS }],
      overrides: [{ position: "backup" as const, member: "D", fromMs: mid, toMs: mid + HOUR_MS }],
    };
    expect(doubleHoldings(s, FIRST_HANDOFF, FIRST_HANDOFF + WEEK_MS)).toEqual([]);
  });
  it("a rotation with fewer members than positions doubles up on its own: not reported", () => {
    const s = schedule(["main", "backup"], [weekly(["A"])]);
    expect(doubleHoldings(s, FIRST_HANDOFF, FIRST_HANDOFF + WEEK_MS)).toEqual([]);
  });
});
