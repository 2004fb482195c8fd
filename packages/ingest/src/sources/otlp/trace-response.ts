/**
 * OTLP/HTTP's answer in protobuf, field numbers from opentelemetry-proto's collector/trace/v1/trace_service.proto:
 *
 *   ExportTraceServiceResponse { 1: ExportTracePartialSuccess partial_success }
 *   ExportTracePartialSuccess  { 1: int64 rejected_spans, 2: string error_message }
 */
import type { OtlpPartialSuccess } from "./otlp-types";
import { WireReader } from "./wire-reader";
import { WireWriter } from "./wire-writer";

/** Encodes ExportTraceServiceResponse; an empty message when nothing was rejected. */
export function encodeExportTraceServiceResponse(partial: OtlpPartialSuccess | undefined): Uint8Array {
  if (!partial) return new Uint8Array(0);
  const p = new WireWriter();
  if (partial.rejectedSpans) p.tag(1, 0).varint(partial.rejectedSpans);
  if (partial.errorMessage) p.string(2, partial.errorMessage);
  return new WireWriter().bytes(1, p.finish()).finish();
}

/** Decodes ExportTraceServiceResponse (for clients and tests). */
export function decodeExportTraceServiceResponse(buf: Uint8Array): { partialSuccess?: OtlpPartialSuccess } {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const r = new WireReader(buf, 0, buf.length, view);
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
