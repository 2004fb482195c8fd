import { describe, expect, it } from "vitest";
import { int4ArrayBinary, int4ArrayBinaryOf, sortedRows } from "./history-rows";

/** The rows in key order by plain comparison: what sortedRows must give. */
function byComparison(keys: number[][]): number[] {
  return keys
    .map((_, r) => r)
    .sort((x, y) => {
      for (let j = 0; j < 5; j++) if (keys[x]![j] !== keys[y]![j]) return keys[x]![j]! - keys[y]![j]!;
      return 0;
    });
}

function lcg(seed: number) {
  let s = seed >>> 0;
  return (m: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % m;
  };
}

describe("sortedRows", () => {
  it("orders rows by service, minute, endpoint, region and status", () => {
    const rnd = lcg(3);
    const seen = new Set<string>();
    const keys: number[][] = [];
    while (keys.length < 3000) {
      const k = [rnd(7), 29_000_000 + rnd(600), rnd(40), rnd(3), 100 + rnd(500)];
      if (seen.has(k.join())) continue;
      seen.add(k.join());
      keys.push(k);
    }
    expect([...sortedRows(keys.length, Float64Array.from(keys.flat()))]).toEqual(byComparison(keys));
  });

  it("sorts keys too wide to pack by comparison, to the same order", () => {
    const rnd = lcg(9);
    // Spans of 1,000 to 1,000,000 values: their product × rows is past 2^52.
    const keys = Array.from({ length: 2000 }, (_, r) => [r % 1000, 2000 - r, rnd(1e6), rnd(1e6), r]);
    expect([...sortedRows(keys.length, Float64Array.from(keys.flat()))]).toEqual(byComparison(keys));
  });

  it("gives nothing for no rows", () => {
    expect([...sortedRows(0, new Float64Array(0))]).toEqual([]);
  });
});

describe("int4ArrayBinary", () => {
  it("writes Postgres's binary form of a one-dimensional int4[] without nulls", () => {
    const b = int4ArrayBinary(Int32Array.from([7, -1, 2 ** 31 - 1]));
    const ints = Array.from({ length: b.length / 4 }, (_, i) => b.readInt32BE(i * 4));
    // dimensions, has nulls, element type (int4), length, lower bound, then (length 4, value) per element
    expect(ints).toEqual([1, 0, 23, 3, 1, 4, 7, 4, -1, 4, 2 ** 31 - 1]);
    expect(int4ArrayBinary(Int32Array.from([1, 2, 3]), 2).readInt32BE(12)).toBe(2);
  });
});

describe("int4ArrayBinaryOf", () => {
  it("gives every element its length, from the smallest array to ones longer than any before", () => {
    for (const n of [0, 1, 5, 3, 1000, 70_000, 2]) {
      const a = int4ArrayBinaryOf(n);
      expect(a.length).toBe(5 + 2 * n);
      expect([...a.subarray(0, 5)]).toEqual([1, 0, 23, n, 1]);
      let bad = 0;
      for (let j = 0; j < n; j++) if (a[5 + 2 * j] !== 4 || a[6 + 2 * j] !== 0) bad++;
      expect(bad).toBe(0);
    }
  });
});
