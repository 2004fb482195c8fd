import { latencyBucket } from "@burnrate/contracts";
import { MINUTE_MS } from "@burnrate/slo-core";
import { RequestBatch } from "../../records/request-batch";
import { LATE_DATA_HORIZON_MS, validateRequestRecord } from "../../records/validate-record";

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
  /** How far back records are taken (the late-data horizon; a history import's is longer). */
  private readonly horizonMs: number;
  private line = 0;
  private readonly fast: boolean;
  /** The start of a line whose newline has not arrived yet. */
  private carry: Buffer[] = [];

  constructor(nowMs: number, opts: { fastPath?: boolean; expectedBytes?: number; horizonMs?: number } = {}) {
    this.nowMs = nowMs;
    this.horizonMs = opts.horizonMs ?? LATE_DATA_HORIZON_MS;
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
    if (this.fast && sc.scan(buf, start, end, this.nowMs, this.horizonMs))
      batch.push(
        line,
        sc.service,
        sc.endpoint,
        sc.region,
        Math.floor(sc.tsMs / MINUTE_MS),
        sc.status,
        latencyBucket(sc.durationMs),
      );
    // A CRLF line's \r is left out: JSON.parse would skip it, but its error message would quote it.
    else {
      const stop = end > start && buf[end - 1] === 13 ? end - 1 : end;
      slowLine(batch, buf.toString("utf8", start, stop), line, this.nowMs, this.horizonMs);
    }
  }
}

/** Parses a whole NDJSON body (see NdjsonParser). */
export function parseNdjson(
  body: Uint8Array | string,
  nowMs: number,
  opts: { fastPath?: boolean; horizonMs?: number } = {},
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
function slowLine(batch: RequestBatch, raw: string, line: number, nowMs: number, horizonMs: number): void {
  let obj: unknown;
  try {
    // JSON.parse skips surrounding whitespace (and \r) itself.
    obj = JSON.parse(raw);
  } catch (e) {
    if (/^\s*$/.test(raw)) return; // a blank line is not a record
    batch.refuse({ line, message: `invalid JSON: ${(e as Error).message}` });
    return;
  }
  const v = validateRequestRecord(obj, nowMs, horizonMs);
  if (v.ok) batch.add(line, v.record);
  else batch.refuse({ line, field: v.field || undefined, message: v.message });
}
