import { parseNdjson, type RequestBatch } from "@burnrate/ingest";
import { describe, expect, it } from "vitest";
import { AggregateScratch, aggregate, type Aggregated } from "./rollup-rows";

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

/** `n` records over endpoints, regions, minutes, statuses and latencies picked by `seed`. */
function batch(n: number, seed: number): RequestBatch {
  let s = "";
  for (let i = 0; i < n; i++) {
    const k = (i * 7919 + seed * 104_729) % 9973;
    s +=
      JSON.stringify({
        ts: NOW - (k % 90) * 60_000,
        service: `svc-${k % 3}`,
        method: "GET",
        route: `/r${k % 7}`,
        region: k % 2 ? "eu" : "us",
        status: k % 11 ? 200 : 503,
        durationMs: k % 3000,
      }) + "\n";
  }
  return parseNdjson(Buffer.from(s), NOW, {});
}

/** The rows as comparable data: (record's endpoint, region, minute, status) → count and histogram. */
function rowsOf(b: RequestBatch, a: Aggregated) {
  const out = new Map<string, string>();
  for (let r = 0; r < a.rows; r++) {
    const i = a.rowRec[r]!;
    const key = [b.endpoint[i], b.region[i], b.minute[i], b.status[i]].join();
    out.set(key, `${a.count[r]}:${a.latency.subarray(r * 33, (r + 1) * 33).join(",")}`);
  }
  return out;
}

describe("aggregate", () => {
  it("with a scratch reused from batch to batch (larger, then smaller), gives what fresh arrays give", () => {
    const scratch = new AggregateScratch();
    for (const [n, seed] of [
      [5000, 1],
      [300, 2],
      [20_000, 3],
      [50, 4],
    ] as const) {
      const b = batch(n, seed);
      const recEp = Int32Array.from(b.endpoint.subarray(0, b.n));
      let minMinute = Infinity;
      for (let i = 0; i < b.n; i++) minMinute = Math.min(minMinute, b.minute[i]!);
      const fresh = aggregate(b, recEp, minMinute);
      const reused = aggregate(b, recEp, minMinute, scratch);
      expect(reused.rows).toBe(fresh.rows);
      expect(rowsOf(b, reused)).toEqual(rowsOf(b, fresh));
      // Every record is in one row.
      let total = 0;
      for (let r = 0; r < reused.rows; r++) total += reused.count[r]!;
      expect(total).toBe(b.n);
    }
  });
});
