/**
 * OTLP/HTTP traces: a protobuf wire-format decoder for exactly the subset Burnrate reads, and the mapping of
 * server spans to request records. No npm package ships the OTLP .proto compiled, so the decoder is written
 * by hand against opentelemetry-proto (collector/trace/v1/trace_service.proto, trace/v1/trace.proto,
 * common/v1/common.proto, resource/v1/resource.proto). Field numbers read:
 *
 *   ExportTraceServiceRequest { 1: repeated ResourceSpans resource_spans }
 *   ResourceSpans { 1: Resource resource, 2: repeated ScopeSpans scope_spans }
 *   Resource      { 1: repeated KeyValue attributes }
 *   ScopeSpans    { 2: repeated Span spans }
 *   Span          { 5: string name, 6: SpanKind kind (varint), 7: fixed64 start_time_unix_nano,
 *                   8: fixed64 end_time_unix_nano, 9: repeated KeyValue attributes }
 *   KeyValue      { 1: string key, 2: AnyValue value }
 *   AnyValue      { 1: string string_value, 2: bool bool_value, 3: int64 int_value, 4: double double_value }
 *   ExportTraceServiceResponse { 1: ExportTracePartialSuccess partial_success }
 *   ExportTracePartialSuccess  { 1: int64 rejected_spans, 2: string error_message }
 *
 * Every other field is skipped by wire type, as protobuf requires. The decoder produces the OTLP/JSON shape
 * (times and int64 values as decimal strings), so both encodings go through one mapping.
 */
import type { IngestLineError, RequestRecord } from "@burnrate/contracts";
import { controlCharAt, describeControlChar } from "../../records/control-chars";
import { validateRequestRecord } from "../../records/validate-record";

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
}
export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
export interface OtlpSpan {
  name?: string;
  kind?: number | string;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
}
export interface OtlpScopeSpans {
  spans?: OtlpSpan[];
}
export interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: OtlpScopeSpans[];
}
export interface OtlpTracesRequest {
  resourceSpans?: OtlpResourceSpans[];
}

/** SpanKind.SPAN_KIND_SERVER */
export const SPAN_KIND_SERVER = 2;

/** A malformed protobuf body: the request is refused as a whole (400), naming where it broke. */
export class OtlpDecodeError extends Error {}

// ---------------------------------------------------------------------------------------------------------------------
// Protobuf wire format

// Both exist in Node and browsers; this package compiles without DOM or Node typings.
declare const TextDecoder: new (label: string) => { decode(b: Uint8Array): string };
declare const TextEncoder: new () => { encode(s: string): Uint8Array };
const utf8 = new TextDecoder("utf-8");

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
    readonly view: DataView,
  ) {
    this.pos = start;
  }

  /** A varint as a number; exact up to 2^53, which covers tags, lengths, enums and bools. */
  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpDecodeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 128;
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A varint as a signed 64-bit integer (int64 uses two's complement in 10 bytes when negative). */
  varintInt64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new OtlpDecodeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new OtlpDecodeError(`truncated fixed64 at byte ${this.pos}`);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new OtlpDecodeError(`truncated double at byte ${this.pos}`);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** The bounds of a length-delimited field's payload; advances past it. */
  bytes(): [number, number] {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end)
      throw new OtlpDecodeError(`length ${len} at byte ${start} runs past the end of its message`);
    this.pos = start + len;
    return [start, start + len];
  }

  string(): string {
    const [a, b] = this.bytes();
    return utf8.decode(this.buf.subarray(a, b));
  }

  sub(): Reader {
    const [a, b] = this.bytes();
    return new Reader(this.buf, a, b, this.view);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        if (this.pos + 8 > this.end) throw new OtlpDecodeError(`truncated fixed64 at byte ${this.pos}`);
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        if (this.pos + 4 > this.end) throw new OtlpDecodeError(`truncated fixed32 at byte ${this.pos}`);
        this.pos += 4;
        return;
      default:
        throw new OtlpDecodeError(`unsupported wire type ${wireType} at byte ${this.pos}`);
    }
  }

  /** Reads the next tag: [field number, wire type]. */
  tag(): [number, number] {
    const t = this.varint();
    const field = Math.floor(t / 8);
    if (field === 0) throw new OtlpDecodeError(`field number 0 at byte ${this.pos}`);
    return [field, t & 7];
  }
}

function expectWire(actual: number, expected: number, what: string, pos: number): void {
  if (actual !== expected)
    throw new OtlpDecodeError(`${what}: wire type ${actual}, expected ${expected} (byte ${pos})`);
}

/** Decodes an ExportTraceServiceRequest (application/x-protobuf) into the OTLP/JSON shape. */
export function decodeExportTraceServiceRequest(buf: Uint8Array): OtlpTracesRequest {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new Reader(buf, 0, buf.length, view);
  const resourceSpans: OtlpResourceSpans[] = [];
  while (r.pos < r.end) {
    const [f, w] = r.tag();
    if (f === 1) {
      expectWire(w, 2, "ExportTraceServiceRequest.resource_spans", r.pos);
      resourceSpans.push(readResourceSpans(r.sub()));
    } else r.skip(w);
  }
  return { resourceSpans };
}

function readResourceSpans(r: Reader): OtlpResourceSpans {
  const out: OtlpResourceSpans = { scopeSpans: [] };
  while (r.pos < r.end) {
    const [f, w] = r.tag();
    if (f === 1) {
      expectWire(w, 2, "ResourceSpans.resource", r.pos);
      const res = r.sub();
      const attributes: OtlpKeyValue[] = out.resource?.attributes ?? [];
      while (res.pos < res.end) {
        const [rf, rw] = res.tag();
        if (rf === 1) {
          expectWire(rw, 2, "Resource.attributes", res.pos);
          attributes.push(readKeyValue(res.sub()));
        } else res.skip(rw);
      }
      out.resource = { attributes };
    } else if (f === 2) {
      expectWire(w, 2, "ResourceSpans.scope_spans", r.pos);
      const ss = r.sub();
      const spans: OtlpSpan[] = [];
      while (ss.pos < ss.end) {
        const [sf, sw] = ss.tag();
        if (sf === 2) {
          expectWire(sw, 2, "ScopeSpans.spans", ss.pos);
          spans.push(readSpan(ss.sub()));
        } else ss.skip(sw);
      }
      out.scopeSpans!.push({ spans });
    } else r.skip(w);
  }
  return out;
}

function readSpan(r: Reader): OtlpSpan {
  const span: OtlpSpan = { attributes: [] };
  while (r.pos < r.end) {
    const [f, w] = r.tag();
    switch (f) {
      case 5:
        expectWire(w, 2, "Span.name", r.pos);
        span.name = r.string();
        break;
      case 6:
        expectWire(w, 0, "Span.kind", r.pos);
        span.kind = r.varint();
        break;
      case 7:
        expectWire(w, 1, "Span.start_time_unix_nano", r.pos);
        span.startTimeUnixNano = r.fixed64().toString();
        break;
      case 8:
        expectWire(w, 1, "Span.end_time_unix_nano", r.pos);
        span.endTimeUnixNano = r.fixed64().toString();
        break;
      case 9:
        expectWire(w, 2, "Span.attributes", r.pos);
        span.attributes!.push(readKeyValue(r.sub()));
        break;
      default:
        r.skip(w);
    }
  }
  return span;
}

function readKeyValue(r: Reader): OtlpKeyValue {
  const kv: OtlpKeyValue = { key: "" };
  while (r.pos < r.end) {
    const [f, w] = r.tag();
    if (f === 1) {
      expectWire(w, 2, "KeyValue.key", r.pos);
      kv.key = r.string();
    } else if (f === 2) {
      expectWire(w, 2, "KeyValue.value", r.pos);
      kv.value = readAnyValue(r.sub());
    } else r.skip(w);
  }
  return kv;
}

function readAnyValue(r: Reader): OtlpAnyValue {
  const v: OtlpAnyValue = {};
  while (r.pos < r.end) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) v.stringValue = r.string();
    else if (f === 2 && w === 0) v.boolValue = r.varint() !== 0;
    else if (f === 3 && w === 0) v.intValue = r.varintInt64().toString();
    else if (f === 4 && w === 1) v.doubleValue = r.double();
    else r.skip(w); // arrays, kvlists, bytes: not read
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------------
// Protobuf encoding (the response, and request fixtures for tests, the benchmark and the simulator)

class Writer {
  private chunks: number[] = [];
  varint(n: number | bigint): this {
    let v = BigInt.asUintN(64, BigInt(n));
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.chunks.push(Number(v));
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }
  fixed64(field: number, v: bigint): this {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.chunks.push(...b);
    return this;
  }
  double(field: number, v: number): this {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    this.chunks.push(...b);
    return this;
  }
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2).varint(b.length);
    for (const x of b) this.chunks.push(x);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

function encodeKeyValue(kv: OtlpKeyValue): Uint8Array {
  const w = new Writer().string(1, kv.key);
  if (kv.value) {
    const v = new Writer();
    const a = kv.value;
    if (a.stringValue !== undefined) v.string(1, a.stringValue);
    if (a.boolValue !== undefined) v.tag(2, 0).varint(a.boolValue ? 1 : 0);
    if (a.intValue !== undefined) v.tag(3, 0).varint(BigInt(a.intValue));
    if (a.doubleValue !== undefined) v.double(4, a.doubleValue);
    w.bytes(2, v.finish());
  }
  return w.finish();
}

/** Encodes the OTLP/JSON shape as a protobuf ExportTraceServiceRequest. */
export function encodeExportTraceServiceRequest(req: OtlpTracesRequest): Uint8Array {
  const out = new Writer();
  for (const rs of req.resourceSpans ?? []) {
    const w = new Writer();
    if (rs.resource) {
      const res = new Writer();
      for (const kv of rs.resource.attributes ?? []) res.bytes(1, encodeKeyValue(kv));
      w.bytes(1, res.finish());
    }
    for (const ss of rs.scopeSpans ?? []) {
      const s = new Writer();
      for (const span of ss.spans ?? []) {
        const p = new Writer();
        if (span.name !== undefined) p.string(5, span.name);
        if (span.kind !== undefined) p.tag(6, 0).varint(Number(span.kind));
        if (span.startTimeUnixNano !== undefined) p.fixed64(7, BigInt(span.startTimeUnixNano));
        if (span.endTimeUnixNano !== undefined) p.fixed64(8, BigInt(span.endTimeUnixNano));
        for (const kv of span.attributes ?? []) p.bytes(9, encodeKeyValue(kv));
        s.bytes(2, p.finish());
      }
      w.bytes(2, s.finish());
    }
    out.bytes(1, w.finish());
  }
  return out.finish();
}

export interface OtlpPartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** Encodes ExportTraceServiceResponse; an empty message when nothing was rejected. */
export function encodeExportTraceServiceResponse(partial: OtlpPartialSuccess | undefined): Uint8Array {
  if (!partial) return new Uint8Array(0);
  const p = new Writer();
  if (partial.rejectedSpans) p.tag(1, 0).varint(partial.rejectedSpans);
  if (partial.errorMessage) p.string(2, partial.errorMessage);
  return new Writer().bytes(1, p.finish()).finish();
}

/** Decodes ExportTraceServiceResponse (for clients and tests). */
export function decodeExportTraceServiceResponse(buf: Uint8Array): { partialSuccess?: OtlpPartialSuccess } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new Reader(buf, 0, buf.length, view);
  let partialSuccess: OtlpPartialSuccess | undefined;
  while (r.pos < r.end) {
    const [f, w] = r.tag();
    if (f === 1 && w === 2) {
      const p = r.sub();
      partialSuccess = { rejectedSpans: 0, errorMessage: "" };
      while (p.pos < p.end) {
        const [pf, pw] = p.tag();
        if (pf === 1 && pw === 0) partialSuccess.rejectedSpans = Number(p.varintInt64());
        else if (pf === 2 && pw === 2) partialSuccess.errorMessage = p.string();
        else p.skip(pw);
      }
    } else r.skip(w);
  }
  return partialSuccess ? { partialSuccess } : {};
}

// ---------------------------------------------------------------------------------------------------------------------
// Span → request record

/** Thrown for a JSON body whose structure is not an OTLP request; names the field. */
export class OtlpShapeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

function arrayField<T>(v: unknown, field: string): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new OtlpShapeError(field, "must be an array");
  return v as T[];
}

function scalar(v: OtlpAnyValue | undefined): string | number | boolean | undefined {
  if (!v || typeof v !== "object") return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return typeof v.intValue === "string" ? Number(v.intValue) : v.intValue;
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return undefined;
}

/** The attributes Burnrate reads, from one attribute list (later lists override earlier ones). */
interface Attrs {
  service?: unknown;
  region?: unknown;
  env?: unknown;
  legacyEnv?: unknown;
  method?: unknown;
  legacyMethod?: unknown;
  route?: unknown;
  status?: unknown;
  legacyStatus?: unknown;
}

function readAttrs(list: unknown, into: Attrs, field: string): void {
  for (const kv of arrayField<OtlpKeyValue>(list, field)) {
    if (!kv || typeof kv !== "object") continue;
    switch (kv.key) {
      case "service.name":
        into.service = scalar(kv.value);
        break;
      case "cloud.region":
        into.region = scalar(kv.value);
        break;
      case "deployment.environment.name":
        into.env = scalar(kv.value);
        break;
      case "deployment.environment":
        into.legacyEnv = scalar(kv.value);
        break;
      case "http.request.method":
        into.method = scalar(kv.value);
        break;
      case "http.method":
        into.legacyMethod = scalar(kv.value);
        break;
      case "http.route":
        into.route = scalar(kv.value);
        break;
      case "http.response.status_code":
        into.status = scalar(kv.value);
        break;
      case "http.status_code":
        into.legacyStatus = scalar(kv.value);
        break;
    }
  }
}

/** The first attribute (key or string value) of a KeyValue list holding a control character, or null. */
function controlCharIn(list: unknown, prefix: string): { field: string; message: string } | null {
  if (!Array.isArray(list)) return null;
  for (const kv of list as OtlpKeyValue[]) {
    if (!kv || typeof kv !== "object") continue;
    const key = typeof kv.key === "string" ? kv.key : "";
    const kat = controlCharAt(key);
    if (kat >= 0) return { field: prefix, message: `an attribute key ${describeControlChar(key, kat)}` };
    const v = kv.value?.stringValue;
    if (typeof v === "string") {
      const at = controlCharAt(v);
      if (at >= 0) return { field: key, message: describeControlChar(v, at) };
    }
  }
  return null;
}

function nanos(v: unknown): bigint | null {
  if (typeof v === "string" && /^\d{1,20}$/.test(v)) return BigInt(v);
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return null;
}

export interface SpanMapping {
  /** Request records of server spans; `line` is the span's 1-based position in the request. */
  records: { line: number; r: RequestRecord }[];
  errors: IngestLineError[];
  rejected: number;
  /** Spans that are not server spans: not request records, not errors. */
  ignored: number;
}

/**
 * Maps the server spans of an OTLP traces request (JSON shape, as parsed or decoded) to request records:
 * service from `service.name`; region from `cloud.region`, else `deployment.environment.name` (else the
 * legacy `deployment.environment`); endpoint from `http.request.method` (legacy `http.method`) + `http.route`;
 * status from `http.response.status_code` (legacy `http.status_code`); ts = start; duration = end − start.
 * Span attributes override resource attributes. A server span without `http.route` is rejected (the URL path
 * is not a route template; using it would explode the endpoint catalog). Each span is validated on its own.
 */
export function spansToRecords(req: unknown, nowMs: number, maxListedErrors = Infinity): SpanMapping {
  if (typeof req !== "object" || req === null || Array.isArray(req))
    throw new OtlpShapeError("body", "must be an ExportTraceServiceRequest object");
  const out: SpanMapping = { records: [], errors: [], rejected: 0, ignored: 0 };
  const reject = (line: number, field: string, message: string) => {
    out.rejected++;
    if (out.errors.length < maxListedErrors)
      out.errors.push({ line, field, message: `${field}: ${message}` });
  };
  let line = 0;
  const rss = arrayField<OtlpResourceSpans>((req as OtlpTracesRequest).resourceSpans, "resourceSpans");
  rss.forEach((rs, i) => {
    if (typeof rs !== "object" || rs === null)
      throw new OtlpShapeError(`resourceSpans[${i}]`, "must be an object");
    const resAttrs: Attrs = {};
    readAttrs(rs.resource?.attributes, resAttrs, `resourceSpans[${i}].resource.attributes`);
    const resBad = controlCharIn(rs.resource?.attributes, "resource.attributes");
    arrayField<OtlpScopeSpans>(rs.scopeSpans, `resourceSpans[${i}].scopeSpans`).forEach((ss, j) => {
      if (typeof ss !== "object" || ss === null)
        throw new OtlpShapeError(`resourceSpans[${i}].scopeSpans[${j}]`, "must be an object");
      const spans = arrayField<OtlpSpan>(ss.spans, `resourceSpans[${i}].scopeSpans[${j}].spans`);
      for (const span of spans) {
        line++;
        if (typeof span !== "object" || span === null) {
          reject(line, "span", "must be an object");
          continue;
        }
        const kind = span.kind;
        if (kind !== SPAN_KIND_SERVER && kind !== "SPAN_KIND_SERVER") {
          out.ignored++;
          continue;
        }
        const a: Attrs = { ...resAttrs };
        try {
          readAttrs(span.attributes, a, "attributes");
        } catch {
          reject(line, "attributes", "must be an array of {key, value}");
          continue;
        }
        // Control characters (NUL first) in any string of the span or its resource: this span only.
        const bad =
          resBad ??
          (typeof span.name === "string" && controlCharAt(span.name) >= 0
            ? { field: "name", message: describeControlChar(span.name, controlCharAt(span.name)) }
            : controlCharIn(span.attributes, "attributes"));
        if (bad) {
          reject(line, bad.field, bad.message);
          continue;
        }
        const start = nanos(span.startTimeUnixNano);
        const end = nanos(span.endTimeUnixNano);
        if (start === null) {
          reject(line, "startTimeUnixNano", "required: nanoseconds since the epoch");
          continue;
        }
        if (end === null) {
          reject(line, "endTimeUnixNano", "required: nanoseconds since the epoch");
          continue;
        }
        if (end < start) {
          reject(line, "endTimeUnixNano", "is before startTimeUnixNano");
          continue;
        }
        if (a.service === undefined) {
          reject(line, "service.name", "required resource attribute");
          continue;
        }
        const region = a.region ?? a.env ?? a.legacyEnv;
        if (region === undefined) {
          reject(line, "cloud.region", "required: cloud.region or deployment.environment.name");
          continue;
        }
        const method = a.method ?? a.legacyMethod;
        if (method === undefined) {
          reject(line, "http.request.method", "required on server spans");
          continue;
        }
        if (a.route === undefined) {
          reject(line, "http.route", "required on server spans (the route template, e.g. /cart/{id})");
          continue;
        }
        const status = a.status ?? a.legacyStatus;
        if (status === undefined) {
          reject(line, "http.response.status_code", "required on server spans");
          continue;
        }
        const v = validateRequestRecord(
          {
            ts: Number(start / 1_000_000n),
            service: a.service,
            method,
            route: a.route,
            region,
            status: typeof status === "string" && /^\d{3}$/.test(status) ? Number(status) : status,
            durationMs: Number(end - start) / 1e6,
          },
          nowMs,
        );
        if (v.ok) out.records.push({ line, r: v.record });
        else {
          out.rejected++;
          const field = OTLP_FIELD[v.field] ?? v.field;
          if (out.errors.length < maxListedErrors)
            out.errors.push({ line, field, message: v.message.replace(/^\w+:/, `${field}:`) });
        }
      }
    });
  });
  return out;
}

/** Names of the record fields in OTLP terms, for error messages. */
const OTLP_FIELD: Record<string, string> = {
  ts: "startTimeUnixNano",
  service: "service.name",
  method: "http.request.method",
  route: "http.route",
  region: "cloud.region",
  status: "http.response.status_code",
  durationMs: "endTimeUnixNano",
};
