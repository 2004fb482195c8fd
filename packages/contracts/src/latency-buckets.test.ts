import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LATENCY_BOUNDS_MS, latencyBucket } from "./latency-buckets";

/** The definition: the first bound ≥ the duration (the last bucket is +Inf). */
function reference(d: number): number {
  let i = 0;
  while (i < LATENCY_BOUNDS_MS.length && !(d <= LATENCY_BOUNDS_MS[i]!)) i++;
  return i;
}

describe("latencyBucket", () => {
  it("is the first bound at or above the duration, at and around every bound", () => {
    for (const b of LATENCY_BOUNDS_MS)
      for (const d of [b - 1, b - 0.5, b - 1e-9, b, b + 1e-9, b + 0.001, b + 1])
        expect(latencyBucket(d), String(d)).toBe(reference(d));
    for (const d of [0, -0, 0.0001, 1e-300, 60_000.5, 1e9, Infinity, -1])
      expect(latencyBucket(d), String(d)).toBe(reference(d));
  });

  it("agrees with the definition on any duration", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: 0, max: 100_000, noNaN: true }), fc.integer({ min: 0, max: 70_000 })),
        (d) => {
          expect(latencyBucket(d)).toBe(reference(d));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
