import { LATENCY_BUCKETS } from "@burnrate/contracts";
import type { PreparedSql, RollupTable } from "@burnrate/db";
import type { RequestBatch } from "@burnrate/ingest";
import type { Aggregated } from "../ingest/rollup-rows";
import { rank } from "../ingest/compare";

/*
 * A history chunk's rollup rows go to Postgres as int4[] parameters in Postgres's binary array format (pg sends
 * a Buffer parameter as binary): no RollupRow object and no text per row, and Postgres reads each array with
 * one copy instead of parsing its text. The histograms are one flat int4[] of LATENCY_BUCKETS per row, sliced
 * per row in SQL.
 */

/**
 * An int4[] of `n` values in Postgres's binary array format (array_recv: a header, then (length 4, value) per
 * element, big-endian), built in native order and swapped once: value j goes to `a[6 + 2 * j]`.
 */
export function int4ArrayBinaryOf(n: number): Int32Array {
  const a = new Int32Array(5 + 2 * n);
  a[0] = 1; // dimensions
  a[1] = 0; // no nulls
  a[2] = INT4_OID;
  a[3] = n;
  a[4] = 1; // lower bound
  // Every element's length (4), copied from a pattern of (4, 0) pairs: one memcpy, not a store per element.
  if (lengths.length < 2 * n) {
    lengths = new Int32Array(Math.max(2 * n, 2 * lengths.length));
    for (let j = 0; j < lengths.length; j += 2) lengths[j] = 4;
  }
  a.set(lengths.subarray(0, 2 * n), 5);
  return a;
}
/** (4, 0) repeated: the element lengths of int4ArrayBinaryOf, grown as needed. */
let lengths = new Int32Array(0);
/** The bytes to send of an int4ArrayBinaryOf array (big-endian; the array is not used again). */
export function binaryBytes(a: Int32Array): Buffer {
  const b = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return LITTLE_ENDIAN ? b.swap32() : b;
}
const LITTLE_ENDIAN = new Uint8Array(Int32Array.of(1).buffer)[0] === 1;

/** The int4[] of `n` values in Postgres's binary array format. */
export function int4ArrayBinary(values: Int32Array, n: number = values.length): Buffer {
  const a = int4ArrayBinaryOf(n);
  for (let j = 0; j < n; j++) a[6 + 2 * j] = values[j]!;
  return binaryBytes(a);
}
const INT4_OID = 23;

/**
 * One table's rows, in primary-key order, ready to be sent: the columns as the parameters of
 * HISTORY_UPSERT_SQL / HISTORY_INSERT_SQL, or (`copy`, the inner rows when asked for) the input of
 * HISTORY_COPY_SQL in COPY's binary format, and then `params` is empty.
 */
export interface HistoryRows {
  n: number;
  params: unknown[];
  copy?: Buffer;
}

/** A table's rows of a chunk: those of its first and last minute (or hour), and the ones between. */
export interface TableRows {
  edge: HistoryRows;
  inner: HistoryRows;
}

/**
 * The rows of `agg` whose (folded) minute is before `splitMin` (the hour rows) and the others (the minute rows),
 * as the parameters of HISTORY_UPSERT_SQL (and HISTORY_INSERT_SQL). Each table's rows are split in two: those of
 * the chunk's first and last minute (hour) in that table, which the chunks before and after it in a
 * time-ordered file share, and the inner ones, which no other chunk of the file has. Each part is sorted by
 * primary key (service, time, endpoint, region, status), the order every writer locks rows in.
 */
export function historyRows(
  b: RequestBatch,
  agg: Aggregated,
  recEp: Int32Array,
  svcId: (string | null)[],
  epUuid: string[],
  regionUuid: string[],
  splitMin: number,
  /** False: every row of a table is an edge row (one sorted statement each). */
  innerRows = true,
  /** True: the inner rows come as COPY input (HistoryRows.copy). */
  copyInner = false,
): { hours: TableRows; minutes: TableRows } {
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
  // Each table's first and last (folded) minute, then the rows of each of the four parts.
  const first = [Infinity, Infinity];
  const last = [-Infinity, -Infinity];
  for (let r = 0; r < rows; r++) {
    const x = bMinute[rowRec[r]!]!;
    const t = x < splitMin ? 0 : 1;
    if (x < first[t]!) first[t] = x;
    if (x > last[t]!) last[t] = x;
  }
  /** The part of a row: 0/1 the hours' edge/inner, 2/3 the minutes'. */
  const partOf = (x: number) => {
    const t = x < splitMin ? 0 : 1;
    return 2 * t + (!innerRows || x === first[t] || x === last[t] ? 0 : 1);
  };
  const counts = [0, 0, 0, 0];
  for (let r = 0; r < rows; r++) counts[partOf(bMinute[rowRec[r]!]!)]!++;
  const cols = (n: number) => ({
    n,
    j: 0,
    e: int4ArrayBinaryOf(n),
    g: int4ArrayBinaryOf(n),
    m: int4ArrayBinaryOf(n),
    st: int4ArrayBinaryOf(n),
    c: int4ArrayBinaryOf(n),
    lat: int4ArrayBinaryOf(n * LATENCY_BUCKETS),
  });
  const copying = (part: number) => copyInner && innerRows && part % 2 === 1;
  const out = counts.map((n, part) => cols(copying(part) ? 0 : n));
  const copies = counts.map((n, part) => (copying(part) ? new CopyRows(n) : null));
  const svcBytes = svcId.map((x) => (x === null ? null : uuidBytes(x)));
  const epBytes: (Buffer | undefined)[] = [];
  const regionBytes: (Buffer | undefined)[] = [];
  for (let k = 0; k < rows; k++) {
    const r = order[k]!;
    const i = rowRec[r]!;
    const part = partOf(bMinute[i]!);
    const ep = recEp[i]!;
    const cp = copies[part];
    if (cp) {
      const rg = bRegion[i]!;
      cp.row(
        svcBytes[bSvc[i]!]!,
        (epBytes[ep] ??= uuidBytes(epUuid[ep]!)),
        (regionBytes[rg] ??= uuidBytes(regionUuid[rg]!)),
        bMinute[i]!,
        bStatus[i]!,
        count[r]!,
        latency,
        r * LATENCY_BUCKETS,
      );
      continue;
    }
    const t = out[part]!;
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
    const at = 6 + 2 * t.j;
    t.e[at] = epIdx[ep]!;
    t.g[at] = regIdx[rg]!;
    t.m[at] = bMinute[i]!;
    t.st[at] = bStatus[i]!;
    t.c[at] = count[r]!;
    const lat = t.lat;
    for (let x = 0, from = r * LATENCY_BUCKETS, to = 6 + 2 * t.j * LATENCY_BUCKETS; x < LATENCY_BUCKETS; x++)
      lat[to + 2 * x] = latency[from + x]!;
    t.j++;
  }
  const split = (part: number): HistoryRows => {
    const cp = copies[part];
    if (cp) return { n: counts[part]!, params: [], copy: cp.end() };
    const t = out[part]!;
    return {
      n: t.n,
      params: [
        eps,
        svcOfEp,
        regs,
        binaryBytes(t.e),
        binaryBytes(t.g),
        binaryBytes(t.m),
        binaryBytes(t.st),
        binaryBytes(t.c),
        binaryBytes(t.lat),
      ],
    };
  };
  return {
    hours: { edge: split(0), inner: split(1) },
    minutes: { edge: split(2), inner: split(3) },
  };
}

/** A uuid's 16 bytes (uuid_recv's input). */
export function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll("-", ""), "hex");
}

/** Microseconds from the Unix epoch to Postgres's (2000-01-01), which timestamptz_recv counts from. */
const PG_EPOCH_US = 946_684_800_000_000;
const TWO_32 = 2 ** 32;
/** The bytes of one row in COPY's binary format: 7 fields (3 uuids, timestamptz, 2 int4s, int4[]), each with its length. */
const COPY_ROW_BYTES = 2 + 3 * (4 + 16) + (4 + 8) + 2 * (4 + 4) + (4 + 20 + 8 * LATENCY_BUCKETS);
const COPY_HEADER = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Rows of a rollup table (service_id, endpoint_id, region_id, minute or hour, status, count, latency) in COPY's
 * binary format (the PostgreSQL manual, "COPY", Binary Format): a header, then per row the field count and each
 * field as its length and its binary value (uuid_recv, timestamptz_recv, int4recv, array_recv), then the
 * trailer (-1). Written straight from the aggregation's arrays, big-endian.
 */
export class CopyRows {
  private readonly buf: Buffer;
  private readonly view: DataView;
  private o: number;
  constructor(rows: number) {
    this.buf = Buffer.allocUnsafe(COPY_HEADER.length + 8 + rows * COPY_ROW_BYTES + 2);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    COPY_HEADER.copy(this.buf, 0);
    this.o = COPY_HEADER.length;
    this.view.setInt32(this.o, 0); // flags: no OIDs
    this.view.setInt32(this.o + 4, 0); // no header extension
    this.o += 8;
  }
  /** One row; `minute` in epoch minutes (an hour row's is its first minute), its histogram at `latency[from…]`. */
  row(
    service: Buffer,
    endpoint: Buffer,
    region: Buffer,
    minute: number,
    status: number,
    count: number,
    latency: Int32Array,
    from: number,
  ): void {
    const v = this.view;
    let o = this.o;
    v.setInt16(o, 7);
    o += 2;
    o = this.uuid(o, service);
    o = this.uuid(o, endpoint);
    o = this.uuid(o, region);
    const us = minute * 60_000_000 - PG_EPOCH_US;
    const hi = Math.floor(us / TWO_32);
    v.setInt32(o, 8);
    v.setInt32(o + 4, hi);
    v.setUint32(o + 8, us - hi * TWO_32);
    v.setInt32(o + 12, 4);
    v.setInt32(o + 16, status);
    v.setInt32(o + 20, 4);
    v.setInt32(o + 24, count);
    o += 28;
    v.setInt32(o, 20 + 8 * LATENCY_BUCKETS);
    v.setInt32(o + 4, 1); // dimensions
    v.setInt32(o + 8, 0); // no nulls
    v.setInt32(o + 12, INT4_OID);
    v.setInt32(o + 16, LATENCY_BUCKETS);
    v.setInt32(o + 20, 1); // lower bound
    o += 24;
    for (let x = 0; x < LATENCY_BUCKETS; x++, o += 8) {
      v.setInt32(o, 4);
      v.setInt32(o + 4, latency[from + x]!);
    }
    this.o = o;
  }
  private uuid(o: number, id: Buffer): number {
    this.view.setInt32(o, 16);
    id.copy(this.buf, o + 4);
    return o + 20;
  }
  /** The rows written, with the trailer. */
  end(): Buffer {
    this.view.setInt16(this.o, -1);
    return this.buf.subarray(0, this.o + 2);
  }
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

const insertSql = (table: RollupTable) => {
  const time = table === "request_rollups" ? "minute" : "hour";
  const B = LATENCY_BUCKETS;
  return `INSERT INTO ${table} (service_id, endpoint_id, region_id, ${time}, status, count, latency)
     SELECT ($2::uuid[])[u.e], ($1::uuid[])[u.e], ($3::uuid[])[u.r], to_timestamp(u.m::float8 * 60), u.st, u.c,
            ($9::int4[])[(u.i - 1) * ${B} + 1 : u.i * ${B}]
       FROM unnest($4::int4[], $5::int4[], $6::int4[], $7::int4[], $8::int4[]) WITH ORDINALITY AS u(e, r, m, st, c, i)`;
};

const upsertSql = (table: RollupTable) => {
  const time = table === "request_rollups" ? "minute" : "hour";
  return `${insertSql(table)}
     ON CONFLICT (service_id, ${time}, endpoint_id, region_id, status) DO UPDATE
       SET count = ${table}.count + EXCLUDED.count,
           latency = ${sumArrays(`${table}.latency`, "EXCLUDED.latency")}`;
};

/**
 * Adds a chunk's rows (HistoryRows.params) into a rollup table: one statement, rows in the order given. Prepared
 * once per connection: its 33 element sums make it long to parse and plan (0.6-0.9 ms, more than a chunk's upsert
 * of few rows).
 */
export const HISTORY_UPSERT_SQL: Record<RollupTable, PreparedSql> = {
  request_rollups: { name: "burnrate_history_upsert_minutes", text: upsertSql("request_rollups") },
  request_rollups_hourly: {
    name: "burnrate_history_upsert_hours",
    text: upsertSql("request_rollups_hourly"),
  },
};

/**
 * Copies in rows that should not exist yet (a chunk's inner rows: HistoryRows.copy): as HISTORY_INSERT_SQL, but
 * Postgres reads each row as it comes, without unnest and array slices: 2.8 µs a row of the backend's CPU against
 * 5.7-7.0 µs for the insert (measured on one connection, 5,000 rows a statement; docs/benchmarks.md). A row that
 * exists makes it fail with unique_violation, as the insert does.
 */
export const HISTORY_COPY_SQL: Record<RollupTable, string> = {
  request_rollups: `COPY request_rollups (service_id, endpoint_id, region_id, minute, status, count, latency) FROM STDIN (FORMAT binary)`,
  request_rollups_hourly: `COPY request_rollups_hourly (service_id, endpoint_id, region_id, hour, status, count, latency) FROM STDIN (FORMAT binary)`,
};

/**
 * Inserts rows that should not exist yet (a chunk's inner rows: HistoryRows.params), without the conflict
 * check of HISTORY_UPSERT_SQL: 5.1-5.7 µs a row against 7.0-7.5 µs measured (docs/benchmarks.md). A row that
 * exists makes it fail with unique_violation; the caller then upserts the rows (writeTable in history-batch.ts).
 */
export const HISTORY_INSERT_SQL: Record<RollupTable, PreparedSql> = {
  request_rollups: { name: "burnrate_history_insert_minutes", text: insertSql("request_rollups") },
  request_rollups_hourly: {
    name: "burnrate_history_insert_hours",
    text: insertSql("request_rollups_hourly"),
  },
};
