import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adherence, depletionEpisodes, depletionSpeed, prematureExhaustion } from "./depletion.js";
import { DAY_MS, HOUR_MS } from "./time-units.js";

const T0 = Date.parse("2026-03-01T00:00:00Z");
const at = (h: number) => T0 + h * HOUR_MS;

describe("depletionSpeed (book §11.2.4)", () => {
  it("the book's episodes 70%/52 h, 50%/26 h, 25%/70 h → 1.3, 1.9, 0.4 %/h, average 1.2, max 1.9", () => {
    const r = depletionSpeed([
      { depletedFraction: 0.7, durationMs: 52 * HOUR_MS },
      { depletedFraction: 0.5, durationMs: 26 * HOUR_MS },
      { depletedFraction: 0.25, durationMs: 70 * HOUR_MS },
    ]);
    expect(r.speeds.map((s) => s.toFixed(1))).toEqual(["1.3", "1.9", "0.4"]);
    expect(r.speeds[0]).toBeCloseTo(70 / 52, 12);
    expect(r.speeds[1]).toBeCloseTo(50 / 26, 12);
    expect(r.speeds[2]).toBeCloseTo(25 / 70, 12);
    expect(r.averagePercentPerHour?.toFixed(1)).toBe("1.2");
    expect(r.maxPercentPerHour?.toFixed(1)).toBe("1.9");
  });

  it.each([
    { episodes: [], avg: null, max: null },
    { episodes: [{ depletedFraction: 0.1, durationMs: 0 }], avg: null, max: null },
    {
      episodes: [
        { depletedFraction: 0.1, durationMs: HOUR_MS },
        { depletedFraction: 0.3, durationMs: 10 * HOUR_MS },
      ],
      avg: 6.5,
      max: 10,
    },
  ])("unweighted mean and max: $avg, $max", ({ episodes, avg, max }) => {
    const r = depletionSpeed(episodes);
    if (avg === null) expect(r.averagePercentPerHour).toBeNull();
    else expect(r.averagePercentPerHour).toBeCloseTo(avg, 12);
    if (max === null) expect(r.maxPercentPerHour).toBeNull();
    else expect(r.maxPercentPerHour).toBeCloseTo(max, 12);
  });
});

describe("depletionEpisodes", () => {
  it.each([
    {
      name: "flat curve",
      curve: [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
      episodes: [],
    },
    {
      name: "one fall",
      curve: [
        [0, 1],
        [1, 0.9],
        [2, 0.7],
        [3, 0.7],
      ],
      episodes: [[0, 2, 0.3]],
    },
    {
      name: "two falls split by a flat hour",
      curve: [
        [0, 1],
        [2, 0.8],
        [3, 0.8],
        [4, 0.6],
        [6, 0.5],
      ],
      episodes: [
        [0, 2, 0.2],
        [3, 6, 0.3],
      ],
    },
    {
      name: "a reset splits episodes",
      curve: [
        [0, 0.2],
        [1, -0.1],
        [2, 1],
        [3, 0.9],
      ],
      episodes: [
        [0, 1, 0.3],
        [2, 3, 0.1],
      ],
    },
  ])("$name", ({ curve, episodes }) => {
    const got = depletionEpisodes(curve.map(([h, r]) => ({ tMs: at(h ?? 0), remaining: r ?? 0 })));
    expect(
      got.map((e) => [
        (e.startMs - T0) / HOUR_MS,
        (e.endMs - T0) / HOUR_MS,
        Number(e.depletedFraction.toFixed(12)),
      ]),
    ).toEqual(episodes);
    for (const e of got)
      expect(e.speedPercentPerHour).toBeCloseTo(
        (e.depletedFraction * 100) / ((e.endMs - e.startMs) / HOUR_MS),
        12,
      );
  });

  it("property: episodes are disjoint and their losses add up to the total fall", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 0, maxLength: 100 }),
        (values) => {
          const curve = values.map((r, i) => ({ tMs: at(i), remaining: r }));
          const eps = depletionEpisodes(curve);
          let fall = 0;
          for (let i = 1; i < curve.length; i++) {
            const d = (curve[i - 1]?.remaining ?? 0) - (curve[i]?.remaining ?? 0);
            if (d > 1e-12) fall += d;
          }
          expect(eps.reduce((a, e) => a + e.depletedFraction, 0)).toBeCloseTo(fall, 9);
          for (let i = 1; i < eps.length; i++)
            expect(eps[i]?.startMs ?? 0).toBeGreaterThanOrEqual(eps[i - 1]?.endMs ?? 0);
        },
      ),
    );
  });
});

describe("prematureExhaustion", () => {
  const period = { startMs: T0, endMs: T0 + 28 * DAY_MS };
  it.each([
    {
      name: "never exhausted",
      curve: [
        [0, 1],
        [100, 0.5],
        [672, 0.1],
      ],
      exhausted: false,
      atH: null,
      shortfall: 0,
    },
    {
      name: "exhausted after 2 days, 30% debt at the end",
      curve: [
        [0, 1],
        [24, 0.5],
        [48, 0],
        [672, -0.3],
      ],
      exhausted: true,
      atH: 48,
      shortfall: 0.3,
    },
    {
      name: "exactly 0 only at the very end is not premature",
      curve: [
        [0, 1],
        [672, 0],
      ],
      exhausted: false,
      atH: null,
      shortfall: 0,
    },
    {
      name: "points outside the period are ignored",
      curve: [
        [-5, -1],
        [0, 1],
        [10, 0.5],
        [700, -2],
      ],
      exhausted: false,
      atH: null,
      shortfall: 0,
    },
  ])("$name", ({ curve, exhausted, atH, shortfall }) => {
    const r = prematureExhaustion(
      curve.map(([h, v]) => ({ tMs: at(h ?? 0), remaining: v ?? 0 })),
      period,
    );
    expect(r.exhausted).toBe(exhausted);
    expect(r.exhaustedAtMs).toBe(atH === null ? null : at(atH));
    expect(r.timeToExhaustionMs).toBe(atH === null ? null : atH * HOUR_MS);
    expect(r.shortfall).toBeCloseTo(shortfall, 12);
  });
});

describe("adherence", () => {
  it.each([
    { remaining: 0.5, expected: "fulfilled" },
    { remaining: 0, expected: "fulfilled" },
    { remaining: -0.01, expected: "broken" },
  ])("$remaining → $expected", ({ remaining, expected }) => {
    expect(adherence(remaining)).toBe(expected);
  });
});
