import { ValidationError } from "@burnrate/contracts";
import { MAX_LISTED_ERRORS, RequestBatch } from "../../records/request-batch";
import type { PushSource } from "../source";
import { OtlpShapeError, spansToRecords } from "./span-mapping";
import { decodeExportTraceServiceRequest } from "./trace-request";
import { OtlpDecodeError } from "./wire-reader";

/** The two encodings of OTLP/HTTP, chosen by the request's Content-Type. */
export type OtlpEncoding = "json" | "protobuf";

export interface OtlpReadOptions {
  encoding: OtlpEncoding;
}

/**
 * OTLP/HTTP traces (`POST /v1/traces`): server spans become request records, other spans are `ignored`.
 * Errors name the OTLP attributes (`http.route`, `cloud.region`), and a span's `line` is its 1-based position
 * in the request.
 */
export const otlpSource: PushSource<OtlpReadOptions> = {
  name: "otlp",
  fieldNames: { route: "http.route", region: "cloud.region" },
  read(body, nowMs, { encoding }) {
    const req = encoding === "protobuf" ? decodeProtobuf(body) : decodeJson(body);
    let mapped;
    try {
      mapped = spansToRecords(req, nowMs, MAX_LISTED_ERRORS);
    } catch (e) {
      if (e instanceof OtlpShapeError)
        throw new ValidationError(`body field '${e.field}': ${e.message.slice(e.field.length + 2)}`, {
          field: e.field,
        });
      throw e;
    }
    return { batch: RequestBatch.fromRecords(mapped), ignored: mapped.ignored };
  },
};

function decodeProtobuf(body: Uint8Array): unknown {
  try {
    return decodeExportTraceServiceRequest(body);
  } catch (e) {
    if (e instanceof OtlpDecodeError)
      throw new ValidationError(`body is not a valid ExportTraceServiceRequest: ${e.message}`, {
        field: "body",
      });
    throw e;
  }
}

function decodeJson(body: Uint8Array): unknown {
  try {
    // Buffer's decoding, not TextDecoder's: a leading byte-order mark stays (and is invalid JSON).
    return body.length === 0 ? {} : JSON.parse(asBuffer(body).toString("utf8"));
  } catch (e) {
    throw new ValidationError(`body is not valid JSON: ${(e as Error).message}`, { field: "body" });
  }
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
