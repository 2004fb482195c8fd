import { z } from "zod";
import { HTTP_METHODS, parseEndpoint } from "./common";

/** One request record after validation. */
export interface RequestRecord {
  tsMs: number;
  service: string;
  method: string;
  route: string;
  region: string;
  status: number;
  durationMs: number;
}

export const IngestResponse = z.object({
  accepted: z.number(),
  rejected: z.number(),
  errors: z.array(z.object({ line: z.number(), field: z.string().optional(), message: z.string() })),
  errorsTruncated: z.boolean().optional(),
});
export type IngestResponse = z.infer<typeof IngestResponse>;
export type IngestLineError = IngestResponse["errors"][number];

/** Records older than this are refused: rollups of closed minutes are final after it. */
export const LATE_DATA_HORIZON_MS = 7 * 24 * 3600_000;
/** Clock skew tolerated for records stamped in the future. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const SLUGISH = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const METHODS = new Set<string>(HTTP_METHODS);

type Result = { ok: true; record: RequestRecord } | { ok: false; field: string; message: string };

/** A service or region slug as stored (lowercased), or null when `s` is not one. */
export function ingestSlug(s: string): string | null {
  return SLUGISH.test(s) ? s.toLowerCase() : null;
}
/** An HTTP method as stored (uppercased), or null when `s` is not one. */
export function ingestMethod(s: string): string | null {
  const m = s.toUpperCase();
  return METHODS.has(m) ? m : null;
}
/** Whether `s` is an acceptable route: starts with '/', at most 300 characters, no control characters. */
export function isIngestRoute(s: string): boolean {
  return s[0] === "/" && s.length <= 300 && controlCharAt(s) < 0;
}

/**
 * The index of the first control character in `s` (C0 U+0000-U+001F, DEL, C1 U+0080-U+009F), or -1. NUL and
 * its kin are refused in every stored string: Postgres text cannot hold U+0000, and the others are never
 * part of a route, slug or filter.
 */
export function controlCharAt(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return i;
  }
  return -1;
}

/** "contains a control character (U+0000) at position 3": for error messages (1-based position). */
export function describeControlChar(s: string, at: number): string {
  const code = s.charCodeAt(at).toString(16).toUpperCase().padStart(4, "0");
  return `contains a control character (U+${code}) at position ${at + 1}; control characters are not allowed`;
}

/**
 * The first string anywhere in a parsed line (values of any key, nested objects and arrays, and the keys
 * themselves) that holds a control character: its field path and the message, or null.
 */
export function findControlChar(o: unknown, path = "", depth = 0): { field: string; message: string } | null {
  if (typeof o === "string") {
    const at = controlCharAt(o);
    return at < 0 ? null : { field: path, message: describeControlChar(o, at) };
  }
  if (typeof o !== "object" || o === null || depth > 16) return null;
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const hit = findControlChar(o[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const k in o) {
    const field = path ? `${path}.${k}` : k;
    const kat = controlCharAt(k);
    if (kat >= 0) return { field: path || "(key)", message: `a field name ${describeControlChar(k, kat)}` };
    const hit = findControlChar((o as Record<string, unknown>)[k], field, depth + 1);
    if (hit) return hit;
  }
  return null;
}

/**
 * Validates one parsed NDJSON object. Hand-written rather than zod: it runs once per ingested line and is
 * on the hot path (see `pnpm bench`). Messages name the field.
 */
export function validateRequestRecord(o: unknown, nowMs: number): Result {
  if (typeof o !== "object" || o === null || Array.isArray(o)) return fail("", "line must be a JSON object");
  const r = o as Record<string, unknown>;
  const bad = findControlChar(r);
  if (bad) return fail(bad.field, bad.message);
  let tsMs: number;
  const ts = r.ts;
  if (typeof ts === "number" && Number.isFinite(ts)) tsMs = ts;
  else if (typeof ts === "string" && ts.length >= 10) {
    tsMs = Date.parse(ts);
    if (Number.isNaN(tsMs)) return fail("ts", `'${ts.slice(0, 40)}' is not an ISO-8601 time`);
  } else if (ts === undefined || ts === null)
    return fail("ts", "required: an ISO-8601 string or epoch milliseconds");
  else if (typeof ts === "string") return fail("ts", `'${ts}' is not an ISO-8601 time`);
  else return fail("ts", "must be an ISO-8601 string or epoch milliseconds");
  if (tsMs > nowMs + MAX_FUTURE_SKEW_MS) return fail("ts", "is more than 5 minutes in the future");
  if (tsMs < nowMs - LATE_DATA_HORIZON_MS) return fail("ts", "is older than the 7-day late-data horizon");
  const service = typeof r.service === "string" ? ingestSlug(r.service) : null;
  if (service === null) return fail("service", "required: a service slug");
  let method: string;
  let route: string;
  if (r.endpoint !== undefined) {
    if (typeof r.endpoint !== "string") return fail("endpoint", "must be a string like 'GET /cart'");
    const e = parseEndpoint(r.endpoint);
    if (!e) return fail("endpoint", `'${r.endpoint.slice(0, 60)}' is not 'METHOD /route'`);
    method = e.method;
    route = e.route;
  } else {
    const m = typeof r.method === "string" ? ingestMethod(r.method) : null;
    if (m === null) return fail("method", "required: an HTTP method such as GET");
    if (typeof r.route !== "string" || !isIngestRoute(r.route))
      return fail("route", "required: a route starting with '/' (or give 'endpoint')");
    method = m;
    route = r.route;
  }
  const region = typeof r.region === "string" ? ingestSlug(r.region) : null;
  if (region === null) return fail("region", "required: a region such as 'prod-eu'");
  const status = r.status;
  if (typeof status !== "number" || !Number.isInteger(status) || status < 100 || status > 599)
    return fail("status", "required: an HTTP status code 100-599");
  const durationMs = r.durationMs;
  if (typeof durationMs !== "number" || !Number.isFinite(durationMs) || durationMs < 0)
    return fail("durationMs", "required: a non-negative number of milliseconds");
  return {
    ok: true,
    record: {
      tsMs,
      service,
      method,
      route,
      region,
      status,
      durationMs,
    },
  };
}

function fail(field: string, message: string): Result {
  return { ok: false, field, message: field ? `${field}: ${message}` : message };
}
