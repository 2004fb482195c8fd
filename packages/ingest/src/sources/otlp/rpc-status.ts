/**
 * OTLP/HTTP's failure answer: a `google.rpc.Status`, in the request's encoding. Field numbers from
 * googleapis' google/rpc/status.proto and error_details.proto, and protobuf's any.proto and duration.proto:
 *
 *   Status         { 1: int32 code, 2: string message, 3: repeated google.protobuf.Any details }
 *   Any            { 1: string type_url, 2: bytes value }
 *   ErrorInfo      { 1: string reason, 2: string domain, 3: map<string, string> metadata }
 *   BadRequest     { 1: repeated FieldViolation field_violations }
 *   FieldViolation { 1: string field, 2: string description }
 *   RetryInfo      { 1: google.protobuf.Duration retry_delay }
 *   Duration       { 1: int64 seconds, 2: int32 nanos }
 */
import { WireWriter } from "./wire-writer";

const TYPE_PREFIX = "type.googleapis.com/google.rpc.";
export const ERROR_INFO_TYPE = `${TYPE_PREFIX}ErrorInfo`;
export const BAD_REQUEST_TYPE = `${TYPE_PREFIX}BadRequest`;
export const RETRY_INFO_TYPE = `${TYPE_PREFIX}RetryInfo`;
/** ErrorInfo's domain: the service that produced the error. */
export const ERROR_DOMAIN = "burnrate";

/** The Status detail messages Burnrate sends, as in protobuf's JSON mapping (`@type` names the message). */
export type RpcStatusDetail =
  | { "@type": typeof ERROR_INFO_TYPE; reason: string; domain: string; metadata: Record<string, string> }
  | { "@type": typeof BAD_REQUEST_TYPE; fieldViolations: { field: string; description: string }[] }
  | { "@type": typeof RETRY_INFO_TYPE; retryDelay: string };

/** `google.rpc.Status` in protobuf's JSON mapping. */
export interface RpcStatus {
  code: number;
  message: string;
  details: RpcStatusDetail[];
}

/** google.rpc.Code for an HTTP status, after googleapis' HTTP mapping (google/rpc/code.proto). */
export function rpcCodeForHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 409:
      return 10; // ABORTED
    case 413:
    case 429:
      return 8; // RESOURCE_EXHAUSTED: a message over the size limit, or a rate limit
    case 415:
      return 3; // INVALID_ARGUMENT: the body's encoding is not one the server reads
    case 499:
      return 1; // CANCELLED
    case 501:
      return 12; // UNIMPLEMENTED
    case 503:
      return 14; // UNAVAILABLE
    case 504:
      return 4; // DEADLINE_EXCEEDED
    default:
      if (status >= 400 && status < 500) return 9; // FAILED_PRECONDITION
      return 13; // INTERNAL
  }
}

/** The API's error (`{code, message, details}`) as a Status: ErrorInfo always, BadRequest when a field is named,
 * RetryInfo when the client is told when to retry. */
export function rpcStatusOf(
  httpStatus: number,
  error: { code: string; message: string; field?: string },
  retryAfterS?: number,
): RpcStatus {
  const details: RpcStatusDetail[] = [
    {
      "@type": ERROR_INFO_TYPE,
      reason: error.code.toUpperCase(),
      domain: ERROR_DOMAIN,
      metadata: error.field ? { field: error.field } : {},
    },
  ];
  if (error.field)
    details.push({
      "@type": BAD_REQUEST_TYPE,
      fieldViolations: [{ field: error.field, description: error.message }],
    });
  if (retryAfterS !== undefined && Number.isFinite(retryAfterS) && retryAfterS >= 0)
    details.push({ "@type": RETRY_INFO_TYPE, retryDelay: `${Math.round(retryAfterS)}s` });
  return { code: rpcCodeForHttpStatus(httpStatus), message: error.message, details };
}

/** Encodes a Status in protobuf's binary format. */
export function encodeRpcStatus(s: RpcStatus): Uint8Array {
  const w = new WireWriter();
  if (s.code) w.tag(1, 0).varint(s.code);
  if (s.message) w.string(2, s.message);
  for (const d of s.details) {
    const any = new WireWriter().string(1, d["@type"]).bytes(2, encodeDetail(d)).finish();
    w.bytes(3, any);
  }
  return w.finish();
}

function encodeDetail(d: RpcStatusDetail): Uint8Array {
  const w = new WireWriter();
  switch (d["@type"]) {
    case ERROR_INFO_TYPE:
      if (d.reason) w.string(1, d.reason);
      if (d.domain) w.string(2, d.domain);
      for (const [k, v] of Object.entries(d.metadata))
        w.bytes(3, new WireWriter().string(1, k).string(2, v).finish());
      break;
    case BAD_REQUEST_TYPE:
      for (const v of d.fieldViolations)
        w.bytes(1, new WireWriter().string(1, v.field).string(2, v.description).finish());
      break;
    case RETRY_INFO_TYPE: {
      const seconds = Number.parseInt(d.retryDelay, 10);
      const duration = new WireWriter();
      if (seconds) duration.tag(1, 0).varint(seconds);
      w.bytes(1, duration.finish());
      break;
    }
  }
  return w.finish();
}
