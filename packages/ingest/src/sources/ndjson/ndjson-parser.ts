import { latencyBucket, type IngestLineError, type RequestRecord } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import { validateRequestRecord } from "../../records/validate-record";
import { RequestLineScanner } from "./line-scanner";

/**
 * At most this many per-line errors are listed per request; the counts stay exact, and `errorsTruncated`
 * says when the list is cut. 100,000 names every bad line of any realistic batch (the bad-input test sends
 * 10,000 bad lines in one body) while bounding the response (~10 MB) for a body of millions of 2-byte lines.
 */
export const MAX_LISTED_ERRORS = 100_000;

/** Validated records as the slow path and the OTLP mapping give them. */
export interface ParsedRecords {
  records: { line: number; r: RequestRecord }[];
  errors: IngestLineError[];
  rejected: number;
}

/**
 * Accepted records of one request, column by column: what aggregation needs (minute, status, latency bucket)
 * and small integer ids of the service, endpoint (method + route) and region, whose values are in `scanner`.
 * No object per record. Records are in line order; `errors` are the refused lines, in line order.
 */
export class RequestBatch {
  readonly scanner = new RequestLineScanner();
  n = 0;
  line: Int32Array;
  service: Int32Array;
  endpoint: Int32Array;
  region: Int32Array;
  /** Epoch minutes. */
  minute: Int32Array;
  status: Int16Array;
  bucket: Uint8Array;
  readonly errors: IngestLineError[] = [];
  rejected = 0;

  /** `capacity`: the records expected (the columns grow past it). */
  constructor(capacity = 256) {
    const c = Math.max(16, capacity | 0);
    this.line = new Int32Array(c);
    this.service = new Int32Array(c);
    this.endpoint = new Int32Array(c);
    this.region = new Int32Array(c);
    this.minute = new Int32Array(c);
    this.status = new Int16Array(c);
    this.bucket = new Uint8Array(c);
  }

  push(
    line: number,
    service: number,
    endpoint: number,
    region: number,
    minute: number,
    status: number,
    bucket: number,
  ) {
    const i = this.n;
    if (i === this.line.length) this.grow();
    this.line[i] = line;
    this.service[i] = service;
    this.endpoint[i] = endpoint;
    this.region[i] = region;
    this.minute[i] = minute;
    this.status[i] = status;
    this.bucket[i] = bucket;
    this.n = i + 1;
  }

  /** A record the slow path (or the OTLP mapping) validated. */
  add(line: number, r: RequestRecord): void {
    const sc = this.scanner;
    sc.intern(r);
    this.push(
      line,
      sc.service,
      sc.endpoint,
      sc.region,
      Math.floor(r.tsMs / MINUTE_MS),
      r.status,
      latencyBucket(r.durationMs),
    );
  }

  /** A refused line (listed up to MAX_LISTED_ERRORS, counted always). */
  refuse(e: IngestLineError): void {
    this.rejected++;
    if (this.errors.length < MAX_LISTED_ERRORS) this.errors.push(e);
  }

  /** The record at i, as strings (tests and debugging; ingest does not need it). */
  recordAt(i: number) {
    const sc = this.scanner;
    const e = sc.endpoints[this.endpoint[i]!]!;
    return {
      line: this.line[i]!,
      service: sc.services[this.service[i]!]!,
      method: e.method,
      route: e.route,
      region: sc.regions[this.region[i]!]!,
      minute: this.minute[i]!,
      status: this.status[i]!,
      bucket: this.bucket[i]!,
    };
  }

  static fromRecords(p: ParsedRecords): RequestBatch {
    const b = new RequestBatch();
    for (const { line, r } of p.records) b.add(line, r);
    b.errors.push(...p.errors);
    b.rejected = p.rejected;
    return b;
  }

  private grow(): void {
    const size = this.line.length * 2;
    const i32 = (a: Int32Array) => {
      const x = new Int32Array(size);
      x.set(a);
      return x;
    };
    this.line = i32(this.line);
    this.service = i32(this.service);
    this.endpoint = i32(this.endpoint);
    this.region = i32(this.region);
    this.minute = i32(this.minute);
    const status = new Int16Array(size);
    status.set(this.status);
    this.status = status;
    const bucket = new Uint8Array(size);
    bucket.set(this.bucket);
    this.bucket = bucket;
  }
}

/**
 * Parses an NDJSON body, in one piece or chunk by chunk as it arrives: each line is validated on its own, and a
 * bad line costs only itself. Lines of the canonical flat shape go through the fast path (RequestLineScanner, straight from
 * the bytes); every other line, and every line the fast path does not vouch for, through JSON.parse +
 * validateRequestRecord, which names the error. Both give the same records (line-scanner.test.ts,
 * ndjson-parser.test.ts). A line split across chunks is put back together (its parts are copied once, when its
 * newline arrives); '\n' never occurs inside a UTF-8 sequence, so lines are found in the bytes.
 */
export class NdjsonParser {
  readonly batch: RequestBatch;
  /** The request's time: ts bounds are checked against it. */
  private readonly nowMs: number;
  private line = 0;
  private readonly fast: boolean;
  /** The start of a line whose newline has not arrived yet. */
  private carry: Buffer[] = [];

  constructor(nowMs: number, opts: { fastPath?: boolean; expectedBytes?: number } = {}) {
    this.nowMs = nowMs;
    this.fast = opts.fastPath ?? true;
    this.batch = new RequestBatch((opts.expectedBytes ?? 0) / 100); // canonical lines are ~100-150 bytes
  }

  /** The next bytes of the body. The chunk is not kept (a partial last line is copied). */
  write(chunk: Buffer): void {
    const n = chunk.length;
    let start = 0;
    if (this.carry.length > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        this.carry.push(Buffer.from(chunk));
        return;
      }
      this.carry.push(chunk.subarray(0, nl));
      const joined = Buffer.concat(this.carry);
      this.carry = [];
      this.parseLine(joined, 0, joined.length);
      start = nl + 1;
    }
    for (;;) {
      const end = chunk.indexOf(10, start);
      if (end === -1) break;
      this.parseLine(chunk, start, end);
      start = end + 1;
    }
    if (start < n) this.carry.push(Buffer.from(chunk.subarray(start)));
  }

  /** The body ended: its last line, if it had no newline, and the batch. */
  end(): RequestBatch {
    if (this.carry.length > 0) {
      const last = Buffer.concat(this.carry);
      this.carry = [];
      this.parseLine(last, 0, last.length);
    }
    return this.batch;
  }

  private parseLine(buf: Buffer, start: number, end: number): void {
    const line = ++this.line;
    const batch = this.batch;
    const sc = batch.scanner;
    if (this.fast && sc.scan(buf, start, end, this.nowMs))
      batch.push(
        line,
        sc.service,
        sc.endpoint,
        sc.region,
        Math.floor(sc.tsMs / MINUTE_MS),
        sc.status,
        latencyBucket(sc.durationMs),
      );
    else slowLine(batch, buf.toString("utf8", start, end), line, this.nowMs);
  }
}

/** Parses a whole NDJSON body (see NdjsonParser). */
export function parseNdjson(
  body: Uint8Array | string,
  nowMs: number,
  opts: { fastPath?: boolean } = {},
): RequestBatch {
  const buf =
    typeof body === "string"
      ? Buffer.from(body, "utf8")
      : Buffer.isBuffer(body)
        ? body
        : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const p = new NdjsonParser(nowMs, { ...opts, expectedBytes: buf.length });
  p.write(buf);
  return p.end();
}

/** One line through JSON.parse + validateRequestRecord. */
function slowLine(batch: RequestBatch, raw: string, line: number, nowMs: number): void {
  let obj: unknown;
  try {
    // JSON.parse skips surrounding whitespace (and \r) itself.
    obj = JSON.parse(raw);
  } catch (e) {
    if (/^\s*$/.test(raw)) return; // a blank line is not a record
    batch.refuse({ line, message: `invalid JSON: ${(e as Error).message}` });
    return;
  }
  const v = validateRequestRecord(obj, nowMs);
  if (v.ok) batch.add(line, v.record);
  else batch.refuse({ line, field: v.field || undefined, message: v.message });
}
