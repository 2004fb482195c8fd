import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "@burnrate/contracts";
import { CopyRows, int4ArrayBinary, int4ArrayBinaryOf, sortedRows, uuidBytes } from "./history-rows";

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

describe("CopyRows: rollup rows in COPY's binary format", () => {
  const svc = "0d9c5b1e-3a4f-4c2b-9e1d-5f6a7b8c9d0e";
  const ep = "11111111-2222-4333-8444-555555555555";
  const reg = "ffffffff-0000-4000-8000-000000000001";

  it("writes the header, each field with its length, and the trailer", () => {
    const latency = new Int32Array(2 * LATENCY_BUCKETS);
    latency[LATENCY_BUCKETS + 3] = 7; // the second row of the aggregation
    latency[2 * LATENCY_BUCKETS - 1] = -1;
    const rows = new CopyRows(1);
    // 2026-12-07T10:01:00Z in epoch minutes
    const minute = Date.UTC(2026, 11, 7, 10, 1) / 60_000;
    rows.row(uuidBytes(svc), uuidBytes(ep), uuidBytes(reg), minute, 503, 42, latency, LATENCY_BUCKETS);
    const b = rows.end();
    expect(b.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
    expect([b.readInt32BE(11), b.readInt32BE(15)]).toEqual([0, 0]);
    let o = 19;
    expect(b.readInt16BE(o)).toBe(7);
    o += 2;
    for (const id of [svc, ep, reg]) {
      expect(b.readInt32BE(o)).toBe(16);
      expect(b.subarray(o + 4, o + 20).toString("hex")).toBe(id.replaceAll("-", ""));
      o += 20;
    }
    expect(b.readInt32BE(o)).toBe(8);
    // timestamptz: microseconds since 2000-01-01T00:00:00Z
    expect(b.readBigInt64BE(o + 4)).toBe(BigInt(Date.UTC(2026, 11, 7, 10, 1) - Date.UTC(2000, 0, 1)) * 1000n);
    o += 12;
    expect([b.readInt32BE(o), b.readInt32BE(o + 4), b.readInt32BE(o + 8), b.readInt32BE(o + 12)]).toEqual([
      4, 503, 4, 42,
    ]);
    o += 16;
    const arrayBytes = b.readInt32BE(o);
    expect(arrayBytes).toBe(20 + 8 * LATENCY_BUCKETS);
    // the array is exactly what the INSERT's parameters carry for the same histogram
    expect(b.subarray(o + 4, o + 4 + arrayBytes)).toEqual(int4ArrayBinary(latency.subarray(LATENCY_BUCKETS)));
    o += 4 + arrayBytes;
    expect(b.readInt16BE(o)).toBe(-1);
    expect(b.length).toBe(o + 2);
  });

  it("writes rows one after another; a time before 2000 is a negative count", () => {
    const latency = new Int32Array(LATENCY_BUCKETS).fill(1);
    const rows = new CopyRows(2);
    rows.row(uuidBytes(svc), uuidBytes(ep), uuidBytes(reg), 0, 200, 1, latency, 0);
    rows.row(uuidBytes(svc), uuidBytes(ep), uuidBytes(reg), 60, 200, 2, latency, 0);
    const b = rows.end();
    const rowBytes = (b.length - 19 - 2) / 2;
    const at = (r: number) => b.readBigInt64BE(19 + r * rowBytes + 2 + 60 + 4);
    expect(at(0)).toBe(-BigInt(Date.UTC(2000, 0, 1)) * 1000n);
    expect(at(1) - at(0)).toBe(3_600_000_000n);
    expect(b.readInt32BE(19 + rowBytes + 2 + 60 + 12 + 12)).toBe(2);
  });
});
