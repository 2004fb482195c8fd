import { latencyBucket, type IngestLineError, type RequestRecord } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import { RequestLineScanner, type RouteOf } from "../sources/ndjson/line-scanner";
import { printable } from "./control-chars";

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
 * A RequestBatch as plain data, to cross a thread boundary (postMessage): the columns' buffers are transferred,
 * not copied (`transferList`), the values and errors are cloned.
 */
export interface RequestBatchData {
  n: number;
  line: Int32Array;
  service: Int32Array;
  endpoint: Int32Array;
  region: Int32Array;
  minute: Int32Array;
  status: Int16Array;
  bucket: Uint8Array;
  services: string[];
  regions: string[];
  endpoints: RouteOf[];
  errors: IngestLineError[];
  rejected: number;
}

/**
 * Accepted records of one request, column by column: what aggregation needs (minute, status, latency bucket)
 * and small integer ids of the service, endpoint (method + route) and region, whose values are in `scanner`.
 * No object per record. Records are in line order; `errors` are the refused lines, in line order. What every
 * push source yields: the NDJSON parser fills it line by line through the scanner (which also interns the
 * values of records validated elsewhere, see `add`), other sources add validated records.
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

  /**
   * A refused line (listed up to MAX_LISTED_ERRORS, counted always). What the message quotes of the line is
   * made printable: a NUL or an unpaired surrogate there would be refused by jsonb when the answer is stored.
   */
  refuse(e: IngestLineError): void {
    this.rejected++;
    if (this.errors.length >= MAX_LISTED_ERRORS) return;
    const message = printable(e.message);
    const field = e.field === undefined ? undefined : printable(e.field);
    this.errors.push(
      message === e.message && field === e.field
        ? e
        : { ...e, message, ...(field === undefined ? {} : { field }) },
    );
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

  /** This batch as plain data; the columns are shared (see `transferList`), so the batch is not used after. */
  toData(): RequestBatchData {
    const sc = this.scanner;
    return {
      n: this.n,
      line: this.line,
      service: this.service,
      endpoint: this.endpoint,
      region: this.region,
      minute: this.minute,
      status: this.status,
      bucket: this.bucket,
      services: sc.services,
      regions: sc.regions,
      endpoints: sc.endpoints,
      errors: this.errors,
      rejected: this.rejected,
    };
  }

  /** The buffers of `d`'s columns, for postMessage's transfer list. */
  static transferList(d: RequestBatchData): ArrayBuffer[] {
    return [d.line, d.service, d.endpoint, d.region, d.minute, d.status, d.bucket].map(
      (c) => c.buffer as ArrayBuffer,
    );
  }

  /** The batch `toData` gave (in another thread): the same records, ids, values and errors. */
  static fromData(d: RequestBatchData): RequestBatch {
    const b = new RequestBatch(0);
    b.n = d.n;
    b.line = d.line;
    b.service = d.service;
    b.endpoint = d.endpoint;
    b.region = d.region;
    b.minute = d.minute;
    b.status = d.status;
    b.bucket = d.bucket;
    b.scanner.adopt(d.services, d.regions, d.endpoints);
    for (const e of d.errors) b.errors.push(e);
    b.rejected = d.rejected;
    return b;
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
