import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allowedBadSlices, isBadSlice, timeslicesRemaining } from "./timeslices.js";

const m = (bad: number, total: number) => ({ good: total - bad, total });

describe("isBadSlice", () => {
  it.each([
    { c: m(1, 1000), objective: 0.999, bad: false },
    { c: m(2, 1000), objective: 0.999, bad: true },
    { c: m(0, 0), objective: 0.999, bad: false },
    { c: m(20, 100), objective: 0.8, bad: false },
    { c: m(21, 100), objective: 0.8, bad: true },
  ])("$c.good/$c.total at $objective → $bad", ({ c, objective, bad }) => {
    expect(isBadSlice(c, objective)).toBe(bad);
  });
});

describe("timeslicesRemaining", () => {
  const periodMinutes = 28 * 24 * 60; // 40,320 minutes; ε = 0.001 allows 40.32 bad minutes
  it.each([
    { name: "all good", minutes: [m(0, 100), m(0, 100)], expected: 1 },
    { name: "empty minutes are not bad", minutes: [m(0, 0), m(0, 0)], expected: 1 },
    { name: "one bad minute", minutes: [m(5, 100), m(0, 100)], expected: 1 - 1 / 40.32 },
    { name: "one bad minute among empty ones", minutes: [m(0, 0), m(1, 1)], expected: 1 - 1 / 40.32 },
  ])("$name", ({ minutes, expected }) => {
    expect(timeslicesRemaining(minutes, 0.999, periodMinutes)).toBeCloseTo(expected, 12);
  });

  it("budget of bad minutes is ε × minutes", () => {
    expect(allowedBadSlices(0.999, periodMinutes)).toBe(40.32);
    expect(allowedBadSlices(0.9, 1000)).toBe(100);
  });

  it("exactly the allowed number of bad minutes leaves 0", () => {
    const minutes = Array.from({ length: 1000 }, (_, i) => (i < 100 ? m(50, 100) : m(0, 100)));
    expect(timeslicesRemaining(minutes, 0.9, 1000)).toBe(0);
  });

  it("property: remaining never rises as minutes of the period go by", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(20), fc.nat(200)), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.9, 0.99, 0.999),
        (rows, objective) => {
          const minutes = rows.map(([bad, ok]) => m(bad, bad + ok));
          let last = Number.POSITIVE_INFINITY;
          for (let i = 0; i <= minutes.length; i++) {
            const r = timeslicesRemaining(minutes.slice(0, i), objective, 300);
            expect(r).toBeLessThanOrEqual(last);
            last = r;
          }
        },
      ),
    );
  });
});
