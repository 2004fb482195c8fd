import { ValidationError, type IngestLineError, type IngestResponse } from "@burnrate/contracts";
import {
  OtlpDecodeError,
  OtlpShapeError,
  decodeExportTraceServiceRequest,
  spansToRecords,
  type OtlpPartialSuccess,
} from "@burnrate/ingest";
import { MAX_LISTED_ERRORS, ingestRecords, type IngestDeps } from "./ingest";

export type OtlpEncoding = "json" | "protobuf";

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
  let req: unknown;
  if (encoding === "protobuf") {
    try {
      req = decodeExportTraceServiceRequest(body);
    } catch (e) {
      if (e instanceof OtlpDecodeError)
        throw new ValidationError(`body is not a valid ExportTraceServiceRequest: ${e.message}`, {
          field: "body",
        });
      throw e;
    }
  } else {
    try {
      req = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
    } catch (e) {
      throw new ValidationError(`body is not valid JSON: ${(e as Error).message}`, { field: "body" });
    }
  }
  let mapped;
  try {
    mapped = spansToRecords(req, deps.nowMs, MAX_LISTED_ERRORS);
  } catch (e) {
    if (e instanceof OtlpShapeError)
      throw new ValidationError(`body field '${e.field}': ${e.message.slice(e.field.length + 2)}`, {
        field: e.field,
      });
    throw e;
  }
  const idem = deps.idempotency;
  const res = await ingestRecords(
    {
      ...deps,
      fieldNames: { route: "http.route", region: "cloud.region" },
      ...(idem ? { idempotency: { ...idem, wrap: (r) => otlpResult(r, mapped.ignored) } } : {}),
    },
    mapped,
  );
  return otlpResult(res, mapped.ignored);
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
