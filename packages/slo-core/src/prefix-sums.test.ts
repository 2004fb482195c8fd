import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPrefixSums, minutesCovered, windowCounts, type MinuteSeries } from "./prefix-sums.js";
import { MINUTE_MS } from "./time-units.js";

const START = Date.parse("2026-01-01T00:00:00Z");

function bruteForce(s: MinuteSeries, fromMs: number, toMs: number) {
  let good = 0;
  let total = 0;
  for (let i = 0; i < s.total.length; i++) {
    const t = s.startMs + i * MINUTE_MS;
    if (t >= fromMs && t < toMs) {
      good += s.good[i] ?? 0;
      total += s.total[i] ?? 0;
    }
  }
  return { good, total };
}

describe("windowCounts", () => {
  const series: MinuteSeries = { startMs: START, good: [9, 8, 7, 6, 5], total: [10, 10, 10, 10, 10] };
  const p = buildPrefixSums(series);
  it.each([
    { name: "whole series", from: START, to: START + 5 * MINUTE_MS, good: 35, total: 50 },
    { name: "minutes 1–2", from: START + MINUTE_MS, to: START + 3 * MINUTE_MS, good: 15, total: 20 },
    {
      name: "clamped before the start",
      from: START - 60 * MINUTE_MS,
      to: START + MINUTE_MS,
      good: 9,
      total: 10,
    },
    {
      name: "clamped after the end",
      from: START + 4 * MINUTE_MS,
      to: START + 99 * MINUTE_MS,
      good: 5,
      total: 10,
    },
    { name: "empty range", from: START + 2 * MINUTE_MS, to: START + 2 * MINUTE_MS, good: 0, total: 0 },
    { name: "reversed range", from: START + 3 * MINUTE_MS, to: START + MINUTE_MS, good: 0, total: 0 },
    { name: "entirely before", from: START - 10 * MINUTE_MS, to: START - MINUTE_MS, good: 0, total: 0 },
    {
      name: "mid-minute bounds count minutes starting inside",
      from: START + 30_000,
      to: START + 2 * MINUTE_MS + 1,
      good: 15,
      total: 20,
    },
  ])("$name", ({ from, to, good, total }) => {
    expect(windowCounts(p, from, to)).toEqual({ good, total });
    expect(windowCounts(p, from, to)).toEqual(bruteForce(series, from, to));
  });

  it("prefix sums have length n + 1", () => {
    expect(p.total.length).toBe(6);
    expect(minutesCovered(p)).toBe(5);
  });

  it("property: window sums equal brute-force sums", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 0, maxLength: 300 }),
        fc.integer({ min: -50 * MINUTE_MS, max: 350 * MINUTE_MS }),
        fc.integer({ min: -50 * MINUTE_MS, max: 350 * MINUTE_MS }),
        fc.boolean(),
        (rows, a, b, typed) => {
          const good = rows.map(([x, y]) => Math.min(x, y));
          const total = rows.map(([x, y]) => Math.max(x, y));
          const s: MinuteSeries = typed
            ? { startMs: START, good: Float64Array.from(good), total: Float64Array.from(total) }
            : { startMs: START, good, total };
          expect(windowCounts(buildPrefixSums(s), START + a, START + b)).toEqual(
            bruteForce(s, START + a, START + b),
          );
        },
      ),
    );
  });
});
