import type { ErrorBody } from "@burnrate/contracts";
import { encodeRpcStatus, rpcStatusOf, type OtlpEncoding, type RpcStatus } from "@burnrate/ingest";

export const OTLP_TRACES_PATH = "/v1/traces";

/** The media type of a Content-Type header, lowercased, without parameters. */
export function mediaType(header: string | string[] | undefined): string {
  return String(header ?? "")
    .split(";")[0]!
    .trim()
    .toLowerCase();
}

/** The OTLP encoding a Content-Type names, or null when it names neither (JSON when there is none). */
export function otlpRequestEncoding(contentType: string | string[] | undefined): OtlpEncoding | null {
  const type = mediaType(contentType);
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json" || type === "") return "json";
  return null;
}

/** The encoding of an answer: the request's; for a Content-Type that is not OTLP, protobuf when Accept asks for it. */
export function otlpAnswerEncoding(
  contentType: string | string[] | undefined,
  accept: string | string[] | undefined,
): OtlpEncoding {
  return (
    otlpRequestEncoding(contentType) ??
    (/application\/(x-)?protobuf/i.test(String(accept ?? "")) ? "protobuf" : "json")
  );
}

/**
 * A failure answer (the API's `{error}` JSON) as OTLP/HTTP requires it: a google.rpc.Status, binary for a
 * protobuf request; for a JSON one, the Status's JSON mapping with the API's `error` object beside its fields.
 */
export function otlpFailureBody(
  httpStatus: number,
  payload: unknown,
  encoding: OtlpEncoding,
  retryAfterS?: number,
): { body: string | Buffer; contentType: string } {
  const error = readError(payload);
  const details = error.details as { field?: unknown } | undefined;
  const field = typeof details?.field === "string" ? details.field : undefined;
  const status: RpcStatus = rpcStatusOf(
    httpStatus,
    { code: error.code, message: error.message, ...(field ? { field } : {}) },
    retryAfterS,
  );
  if (encoding === "protobuf")
    return { body: Buffer.from(encodeRpcStatus(status)), contentType: "application/x-protobuf" };
  return {
    body: JSON.stringify({ ...status, error }),
    contentType: "application/json; charset=utf-8",
  };
}

function readError(payload: unknown): ErrorBody["error"] {
  const text = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString() : "";
  try {
    const parsed = JSON.parse(text) as Partial<ErrorBody>;
    if (parsed.error && typeof parsed.error.code === "string" && typeof parsed.error.message === "string")
      return parsed.error;
  } catch {
    // not the API's error JSON: answered below with a generic message
  }
  return { code: "internal", message: "request failed" };
}
