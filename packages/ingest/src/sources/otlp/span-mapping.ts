import type { IngestLineError, RequestRecord } from "@burnrate/contracts";
import { controlCharAt, describeControlChar } from "../../records/control-chars";
import { validateRequestRecord } from "../../records/validate-record";
import {
  SPAN_KIND_SERVER,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpResourceSpans,
  type OtlpScopeSpans,
  type OtlpSpan,
  type OtlpTracesRequest,
} from "./otlp-types";

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
