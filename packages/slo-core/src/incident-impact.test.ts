import { describe, expect, it } from "vitest";
import { incidentBudgetImpact } from "./incident-impact.js";
import { buildPrefixSums, windowCounts, type SampledSums } from "./prefix-sums.js";
import { MINUTE_MS } from "./time-units.js";

const M = MINUTE_MS;
// minutes 0..9: 100 requests each; minutes 3, 4 and 5 have 10, 1 and 50 bad
const series = {
  startMs: 0,
  good: [100, 100, 100, 90, 99, 50, 100, 100, 100, 100],
  total: [100, 100, 100, 100, 100, 100, 100, 100, 100, 100],
};

describe("incidentBudgetImpact", () => {
  it.each([
    [3, 6, 61, 61 / 1000],
    [0, 10, 61, 61 / 1000],
    [4, 5, 1, 1 / 1000],
    [6, 10, 0, 0],
    [5, 5, 0, 0],
  ])("occurrences [%i, %i) min: %i bad requests", (from, to, bad, fraction) => {
    const x = incidentBudgetImpact(
      { objective: 0.99, method: "occurrences" },
      buildPrefixSums(series),
      from * M,
      to * M,
      1000,
    );
    expect(x.badDuring).toBe(bad);
    expect(x.consumedFraction).toBeCloseTo(fraction, 12);
  });
  it("occurrences from running totals sampled at the two ends give the same", () => {
    const p = buildPrefixSums(series);
    const s: SampledSums = { at: new Map([3 * M, 6 * M].map((t) => [t, windowCounts(p, 0, t)])) };
    expect(
      incidentBudgetImpact({ objective: 0.99, method: "occurrences" }, s, 3 * M, 6 * M, 1000).badDuring,
    ).toBe(61);
  });
  it("timeslices count the bad minutes (99%: minute 4 with 1 bad of 100 is good)", () => {
    const x = incidentBudgetImpact(
      { objective: 0.99, method: "timeslices" },
      buildPrefixSums(series),
      0,
      10 * M,
      403.2,
    );
    expect(x).toEqual({ good: 939, total: 1000, badDuring: 2, consumedFraction: 2 / 403.2 });
  });
  it("no budget allowed: no fraction", () => {
    expect(
      incidentBudgetImpact({ objective: 0.99, method: "occurrences" }, buildPrefixSums(series), 0, M, 0)
        .consumedFraction,
    ).toBeNull();
  });
  it("refuses an interval that is not whole minutes", () => {
    expect(() =>
      incidentBudgetImpact({ objective: 0.99, method: "occurrences" }, buildPrefixSums(series), 1, M, 10),
    ).toThrow(/whole minutes/);
  });
});
