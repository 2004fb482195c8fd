import { LATENCY_BUCKETS } from "@burnrate/contracts";
import type { RollupTable } from "@burnrate/db";
import type { RequestBatch } from "@burnrate/ingest";
import type { Aggregated } from "../ingest/rollup-rows";
import { rank } from "../ingest/compare";

/*
 * A history chunk's rollup rows go to Postgres as int4[] parameters in Postgres's binary array format (pg sends
 * a Buffer parameter as binary): no RollupRow object and no text per row, and Postgres reads each array with
 * one copy instead of parsing its text. The histograms are one flat int4[] of LATENCY_BUCKETS per row, sliced
 * per row in SQL.
 */

/** The int4[] of `n` values in Postgres's binary array format (array_recv): header, then (4, value) pairs. */
export function int4ArrayBinary(values: Int32Array, n: number = values.length): Buffer {
  const buf = Buffer.allocUnsafe(20 + n * 8);
  buf.writeInt32BE(1, 0); // dimensions
  buf.writeInt32BE(0, 4); // no nulls
  buf.writeInt32BE(INT4_OID, 8);
  buf.writeInt32BE(n, 12);
  buf.writeInt32BE(1, 16); // lower bound
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let i = 0, p = 20; i < n; i++, p += 8) {
    v.setInt32(p, 4);
    v.setInt32(p + 4, values[i]!);
  }
  return buf;
}
const INT4_OID = 23;

/** The columns of one table's rows, in primary-key order, ready to be sent. */
export interface HistoryRows {
  n: number;
  params: unknown[];
}

/**
 * The rows of `agg` whose (folded) minute is before `splitMin` (the hour rows) and the others (the minute rows),
 * each sorted by primary key (service, time, endpoint, region, status: concurrent chunks lock rows in the same
 * order and never deadlock), as the parameters of HISTORY_UPSERT_SQL.
 */
export function historyRows(
  b: RequestBatch,
  agg: Aggregated,
  recEp: Int32Array,
  svcId: (string | null)[],
  epUuid: string[],
  regionUuid: string[],
  splitMin: number,
): { hours: HistoryRows; minutes: HistoryRows } {
  const { rows, rowRec, count, latency } = agg;
  const bSvc = b.service;
  const bRegion = b.region;
  const bMinute = b.minute;
  const bStatus = b.status;
  const epRank = rank(epUuid);
  const regionRank = rank(regionUuid);
  const svcRank = rank(svcId.map((x) => x ?? ""));
  const keys = new Float64Array(rows * 5);
  for (let r = 0, p = 0; r < rows; r++, p += 5) {
    const i = rowRec[r]!;
    keys[p] = svcRank[bSvc[i]!]!;
    keys[p + 1] = bMinute[i]!;
    keys[p + 2] = epRank[recEp[i]!]!;
    keys[p + 3] = regionRank[bRegion[i]!]!;
    keys[p + 4] = bStatus[i]!;
  }
  const order = sortedRows(rows, keys);

  // Endpoints and regions are sent once each; rows name them by 1-based index.
  const epIdx = new Int32Array(epUuid.length);
  const eps: string[] = [];
  const svcOfEp: string[] = [];
  const regIdx = new Int32Array(regionUuid.length);
  const regs: string[] = [];
  const split = (hours: boolean): HistoryRows => {
    let n = 0;
    for (let k = 0; k < rows; k++) if (bMinute[rowRec[order[k]!]!]! < splitMin === hours) n++;
    const e = new Int32Array(n);
    const g = new Int32Array(n);
    const m = new Int32Array(n);
    const st = new Int32Array(n);
    const c = new Int32Array(n);
    const lat = new Int32Array(n * LATENCY_BUCKETS);
    let j = 0;
    for (let k = 0; k < rows; k++) {
      const r = order[k]!;
      const i = rowRec[r]!;
      if (bMinute[i]! < splitMin !== hours) continue;
      const ep = recEp[i]!;
      if (epIdx[ep] === 0) {
        eps.push(epUuid[ep]!);
        svcOfEp.push(svcId[bSvc[i]!]!);
        epIdx[ep] = eps.length;
      }
      const rg = bRegion[i]!;
      if (regIdx[rg] === 0) {
        regs.push(regionUuid[rg]!);
        regIdx[rg] = regs.length;
      }
      e[j] = epIdx[ep]!;
      g[j] = regIdx[rg]!;
      m[j] = bMinute[i]!;
      st[j] = bStatus[i]!;
      c[j] = count[r]!;
      for (let x = 0, from = r * LATENCY_BUCKETS, to = j * LATENCY_BUCKETS; x < LATENCY_BUCKETS; x++)
        lat[to + x] = latency[from + x]!;
      j++;
    }
    return {
      n,
      params: [
        null, // endpoints, services and regions: filled in below, once both tables' rows are known
        null,
        null,
        int4ArrayBinary(e),
        int4ArrayBinary(g),
        int4ArrayBinary(m),
        int4ArrayBinary(st),
        int4ArrayBinary(c),
        int4ArrayBinary(lat),
      ],
    };
  };
  const hours = split(true);
  const minutes = split(false);
  for (const t of [hours, minutes]) {
    t.params[0] = eps;
    t.params[1] = svcOfEp;
    t.params[2] = regs;
  }
  return { hours, minutes };
}

/**
 * The rows 0 … n-1 in order of their keys (`keys`: 5 a row: service rank, epoch minute, endpoint rank, region
 * rank, status), whole numbers ≥ 0, every row's keys distinct. The keys, less their least value, are packed
 * into one number with the row's index below them, and those numbers sorted as numbers (a typed array's own
 * sort: no call per comparison). Keys too wide for a double (a chunk spread over months) sort by comparison.
 */
export function sortedRows(n: number, keys: Float64Array): Int32Array {
  const K = 5;
  const lo = new Float64Array(K).fill(Infinity);
  const span = new Float64Array(K);
  for (let p = 0; p < n * K; p += K)
    for (let j = 0; j < K; j++) if (keys[p + j]! < lo[j]!) lo[j] = keys[p + j]!;
  for (let p = 0; p < n * K; p += K)
    for (let j = 0; j < K; j++) if (keys[p + j]! - lo[j]! + 1 > span[j]!) span[j] = keys[p + j]! - lo[j]! + 1;
  let width = n;
  for (let j = 0; j < K; j++) width *= span[j]!;
  const order = new Int32Array(n);
  if (width > 2 ** 52) {
    for (let r = 0; r < n; r++) order[r] = r;
    order.sort((x, y) => {
      for (let j = 0; j < K; j++) {
        const d = keys[x * K + j]! - keys[y * K + j]!;
        if (d !== 0) return d;
      }
      return 0;
    });
    return order;
  }
  const packed = new Float64Array(n);
  for (let r = 0, p = 0; r < n; r++, p += K) {
    let v = 0;
    for (let j = 0; j < K; j++) v = v * span[j]! + (keys[p + j]! - lo[j]!);
    packed[r] = v * n + r;
  }
  packed.sort();
  for (let k = 0; k < n; k++) order[k] = packed[k]! % n;
  return order;
}

/** `ARRAY[a[1] + b[1], …]`: element-wise sum of two histograms. */
const sumArrays = (a: string, b: string) =>
  `ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `${a}[${i + 1}] + ${b}[${i + 1}]`).join(", ")}]`;

const upsertSql = (table: RollupTable) => {
  const time = table === "request_rollups" ? "minute" : "hour";
  const B = LATENCY_BUCKETS;
  return `INSERT INTO ${table} (service_id, endpoint_id, region_id, ${time}, status, count, latency)
     SELECT ($2::uuid[])[u.e], ($1::uuid[])[u.e], ($3::uuid[])[u.r], to_timestamp(u.m::float8 * 60), u.st, u.c,
            ($9::int4[])[(u.i - 1) * ${B} + 1 : u.i * ${B}]
       FROM unnest($4::int4[], $5::int4[], $6::int4[], $7::int4[], $8::int4[]) WITH ORDINALITY AS u(e, r, m, st, c, i)
     ON CONFLICT (service_id, ${time}, endpoint_id, region_id, status) DO UPDATE
       SET count = ${table}.count + EXCLUDED.count,
           latency = ${sumArrays(`${table}.latency`, "EXCLUDED.latency")}`;
};

/** Adds a chunk's rows (HistoryRows.params) into a rollup table: one statement, rows in the order given. */
export const HISTORY_UPSERT_SQL: Record<RollupTable, string> = {
  request_rollups: upsertSql("request_rollups"),
  request_rollups_hourly: upsertSql("request_rollups_hourly"),
};
