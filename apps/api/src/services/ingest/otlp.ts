import type { IngestLineError, IngestResponse } from "@burnrate/contracts";
import { otlpSource, type OtlpEncoding, type OtlpPartialSuccess } from "@burnrate/ingest";
import { ingestRecords, type IngestDeps } from "./ingest-records";

export interface OtlpIngestResult {
  /** OTLP's ExportTraceServiceResponse: set only when some spans were rejected. */
  partialSuccess?: OtlpPartialSuccess;
  /** Burnrate's own counts, as for NDJSON; `line` is the span's 1-based position in the request. */
  accepted: number;
  rejected: number;
  /** Spans that are not server spans (kind ≠ SERVER): not request records, not errors. */
  ignored: number;
  errors: IngestLineError[];
  errorsTruncated?: boolean;
}

/** How many span errors the OTLP `errorMessage` spells out; the JSON response lists them all. */
const MESSAGE_ERRORS = 5;

/** Decodes an OTLP/HTTP traces body (JSON or protobuf), maps its server spans and ingests them. */
export async function ingestOtlpTraces(
  deps: IngestDeps,
  body: Buffer,
  encoding: OtlpEncoding,
): Promise<OtlpIngestResult> {
  const { batch, ignored } = otlpSource.read(body, deps.nowMs, { encoding });
  const idem = deps.idempotency;
  const res = await ingestRecords(
    {
      ...deps,
      fieldNames: otlpSource.fieldNames,
      ...(idem ? { idempotency: { ...idem, wrap: (r) => otlpResult(r, ignored) } } : {}),
    },
    batch,
  );
  return otlpResult(res, ignored);
}

/** Burnrate's counts and OTLP's partial success of an ingested request. */
function otlpResult(res: IngestResponse, ignored: number): OtlpIngestResult {
  const out: OtlpIngestResult = {
    accepted: res.accepted,
    rejected: res.rejected,
    ignored,
    errors: res.errors,
    ...(res.errorsTruncated ? { errorsTruncated: true } : {}),
  };
  if (res.rejected > 0) {
    const shown = res.errors
      .slice(0, MESSAGE_ERRORS)
      .map((e) => `span ${e.line}: ${e.message}`)
      .join("; ");
    out.partialSuccess = {
      rejectedSpans: res.rejected,
      errorMessage: `${res.rejected} span(s) rejected: ${shown}${res.rejected > MESSAGE_ERRORS ? "; …" : ""}`,
    };
  }
  return out;
}
