import { latencyBucket, type IngestLineError, type RequestRecord } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import { RequestLineScanner } from "../sources/ndjson/line-scanner";

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
