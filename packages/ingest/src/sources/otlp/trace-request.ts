/**
 * OTLP/HTTP traces in protobuf: a decoder for exactly the subset Burnrate reads (the mapping of server spans to
 * request records is span-mapping.ts), and an encoder of the same shape (fixtures for tests, the benchmark and
 * the simulator). No npm package ships the OTLP .proto compiled, so the decoder is written
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
 *
 * Every other field is skipped by wire type, as protobuf requires. The decoder produces the OTLP/JSON shape
 * (times and int64 values as decimal strings), so both encodings go through one mapping. The response,
 * ExportTraceServiceResponse, is trace-response.ts.
 */
import type {
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpSpan,
  OtlpTracesRequest,
} from "./otlp-types";
import { WireReader, expectWire } from "./wire-reader";
import { WireWriter } from "./wire-writer";

/** Decodes an ExportTraceServiceRequest (application/x-protobuf) into the OTLP/JSON shape. */
export function decodeExportTraceServiceRequest(buf: Uint8Array): OtlpTracesRequest {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new WireReader(buf, 0, buf.length, view);
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

function readResourceSpans(r: WireReader): OtlpResourceSpans {
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

function readSpan(r: WireReader): OtlpSpan {
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

function readKeyValue(r: WireReader): OtlpKeyValue {
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

function readAnyValue(r: WireReader): OtlpAnyValue {
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

function encodeKeyValue(kv: OtlpKeyValue): Uint8Array {
  const w = new WireWriter().string(1, kv.key);
  if (kv.value) {
    const v = new WireWriter();
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
  const out = new WireWriter();
  for (const rs of req.resourceSpans ?? []) {
    const w = new WireWriter();
    if (rs.resource) {
      const res = new WireWriter();
      for (const kv of rs.resource.attributes ?? []) res.bytes(1, encodeKeyValue(kv));
      w.bytes(1, res.finish());
    }
    for (const ss of rs.scopeSpans ?? []) {
      const s = new WireWriter();
      for (const span of ss.spans ?? []) {
        const p = new WireWriter();
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
