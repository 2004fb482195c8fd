import { LATENCY_BUCKETS } from "@burnrate/contracts";
import type { RequestBatch } from "@burnrate/ingest";
import type { RollupRow } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import { rank } from "./compare";
import { IntPairMap } from "./int-pair-map";

export interface Aggregated {
  rows: number;
  /** A record of each row (for its endpoint, region, minute and status). */
  rowRec: Int32Array;
  count: Int32Array;
  /** LATENCY_BUCKETS counts per row. */
  latency: Int32Array;
}

/**
 * Arrays that aggregate() reuses from one call to the next, grown to the largest batch so far: for a caller
 * that is done with an aggregation before the next one starts (a history chunk turns it into its rows at once),
 * so that each batch does not allocate, zero and grow its own.
 */
export class AggregateScratch {
  rowRec = new Int32Array(256);
  count = new Int32Array(256);
  latency = new Int32Array(256 * LATENCY_BUCKETS);
  /** Rows the last aggregation used (zeroed again at the next). */
  used = 0;
}

/**
 * One row per (endpoint, region, minute, status), keyed by (endpoint × regions + region, minute offset × 500
 * + status − 100); counts and histograms in flat typed arrays (`scratch`'s when given: then the result is only
 * good until the next call with it).
 */
export function aggregate(
  b: RequestBatch,
  recEp: Int32Array,
  minMinute: number,
  scratch?: AggregateScratch,
): Aggregated {
  const nRegions = b.scanner.regions.length;
  const bRegion = b.region;
  const bMinute = b.minute;
  const bStatus = b.status;
  const bBucket = b.bucket;
  const rowOf = new IntPairMap();
  let rows = 0;
  let rowRec: Int32Array;
  let count: Int32Array;
  let latency: Int32Array;
  if (scratch) {
    ({ rowRec, count, latency } = scratch);
    count.fill(0, 0, scratch.used);
    latency.fill(0, 0, scratch.used * LATENCY_BUCKETS);
  } else {
    rowRec = new Int32Array(256);
    count = new Int32Array(256);
    latency = new Int32Array(256 * LATENCY_BUCKETS);
  }
  for (let i = 0; i < b.n; i++) {
    const e = recEp[i]!;
    if (e < 0) continue;
    const stream = e * nRegions + bRegion[i]!;
    const sub = (bMinute[i]! - minMinute) * 500 + bStatus[i]! - 100;
    let r = rowOf.get(stream, sub);
    if (r < 0) {
      r = rows++;
      rowOf.set(stream, sub, r);
      if (r === count.length) {
        rowRec = grow(rowRec);
        count = grow(count);
        latency = grow(latency);
      }
      rowRec[r] = i;
    }
    count[r]!++;
    latency[r * LATENCY_BUCKETS + bBucket[i]!]!++;
  }
  if (scratch) Object.assign(scratch, { rowRec, count, latency, used: rows });
  return { rows, rowRec, count, latency };
}

/**
 * The rollup rows sorted by primary key (concurrent batches lock rows in the same order, so they never
 * deadlock), and each service's oldest minute.
 */
export function rollupRows(
  b: RequestBatch,
  agg: Aggregated,
  recEp: Int32Array,
  svcId: (string | null)[],
  epUuid: string[],
  regionUuid: string[],
): { rows: RollupRow[]; minByService: Map<string, number>; errorsByService: Map<string, number> } {
  const { rows, rowRec, count, latency } = agg;
  const bSvc = b.service;
  const bRegion = b.region;
  const bMinute = b.minute;
  const bStatus = b.status;
  const epRank = rank(epUuid);
  const regionRank = rank(regionUuid);
  const svcRank = rank(svcId.map((x) => x ?? ""));
  // Five sort keys per row, packed in one typed array.
  const keys = new Float64Array(rows * 5);
  for (let r = 0; r < rows; r++) {
    const i = rowRec[r]!;
    keys[r * 5] = svcRank[bSvc[i]!]!;
    keys[r * 5 + 1] = bMinute[i]!;
    keys[r * 5 + 2] = epRank[recEp[i]!]!;
    keys[r * 5 + 3] = regionRank[bRegion[i]!]!;
    keys[r * 5 + 4] = bStatus[i]!;
  }
  const order = Array.from({ length: rows }, (_, r) => r);
  order.sort((x, y) => {
    for (let k = 0; k < 5; k++) {
      const d = keys[x * 5 + k]! - keys[y * 5 + k]!;
      if (d !== 0) return d;
    }
    return 0;
  });
  const out: RollupRow[] = new Array(rows);
  const minByService = new Map<string, number>();
  // Each service's newest minute with a server error: the worker's fast pass evaluates those services first.
  const errorsByService = new Map<string, number>();
  for (let k = 0; k < rows; k++) {
    const r = order[k]!;
    const i = rowRec[r]!;
    const serviceId = svcId[bSvc[i]!]!;
    const minuteMs = bMinute[i]! * MINUTE_MS;
    out[k] = {
      serviceId,
      endpointId: epUuid[recEp[i]!]!,
      regionId: regionUuid[bRegion[i]!]!,
      minuteMs,
      status: bStatus[i]!,
      count: count[r]!,
      latency: latency.subarray(r * LATENCY_BUCKETS, (r + 1) * LATENCY_BUCKETS),
    };
    const prev = minByService.get(serviceId);
    if (prev === undefined || minuteMs < prev) minByService.set(serviceId, minuteMs);
    if (bStatus[i]! >= SERVER_ERROR && minuteMs > (errorsByService.get(serviceId) ?? -Infinity))
      errorsByService.set(serviceId, minuteMs);
  }
  return { rows: out, minByService, errorsByService };
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const x = new Int32Array(a.length * 2);
  x.set(a);
  return x;
}

/** The first server-error status: a rollup row at or above it marks its service for the worker's fast pass. */
const SERVER_ERROR = 500;

/** The dirty marks of ZADD … LT: each service's oldest minute, as (score, member) pairs. */
export function dirtyMarks(minByService: Map<string, number>): (string | number)[] {
  const marks: (string | number)[] = [];
  for (const [serviceId, minuteMs] of minByService) marks.push(minuteMs, serviceId);
  return marks;
}
