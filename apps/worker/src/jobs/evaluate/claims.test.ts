import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { shardBounds } from "./claims";

const first = (u: string) => parseInt(u.slice(0, 8), 16);

describe("shardBounds", () => {
  it("cuts the id space into contiguous ranges, from the smallest id to the largest", () => {
    for (const shards of [1, 2, 3, 7, 100, 1000]) {
      const b = Array.from({ length: shards }, (_, i) => shardBounds(i, shards));
      expect(b[0]![0]).toBe("00000000-0000-0000-0000-000000000000");
      expect(b.at(-1)![1]).toBe("ffffffff-ffff-ffff-ffff-ffffffffffff");
      for (let i = 0; i + 1 < shards; i++) {
        expect(b[i]![1].slice(8)).toBe("-ffff-ffff-ffff-ffffffffffff");
        expect(first(b[i + 1]![0])).toBe(first(b[i]![1]) + 1);
      }
      for (const [lo, hi] of b) expect(lo <= hi).toBe(true);
    }
  });

  it("puts every id in exactly one shard, in near-equal shares", () => {
    const shards = 20;
    const b = Array.from({ length: shards }, (_, i) => shardBounds(i, shards));
    const counts = new Array<number>(shards).fill(0);
    const ids = Array.from({ length: 20_000 }, () => randomUUID());
    ids.push("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff");
    let notOnce = 0;
    for (const id of ids) {
      // Postgres compares uuids byte by byte: the order of their lowercase hex text.
      let n = 0;
      b.forEach(([lo, hi], i) => {
        if (id >= lo && id <= hi) {
          n++;
          counts[i]!++;
        }
      });
      if (n !== 1) notOnce++;
    }
    expect(notOnce).toBe(0);
    expect(Math.min(...counts)).toBeGreaterThan(850);
    expect(Math.max(...counts)).toBeLessThan(1150);
  });
});
