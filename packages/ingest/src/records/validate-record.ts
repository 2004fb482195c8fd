import { HTTP_METHODS, parseEndpoint, type RequestRecord } from "@burnrate/contracts";
import { DAY_MS, MINUTE_MS } from "@burnrate/slo-core";
import { controlCharAt, findControlChar } from "./control-chars";

/** Records older than this are refused: rollups of closed minutes are final after it. */
export const LATE_DATA_HORIZON_MS = 7 * DAY_MS;
/**
 * Records a history import takes (`burnrate import-history`): as far back as hour rollups are kept
 * (HOUR_RETENTION_MS in @burnrate/db, 450 days).
 */
export const HISTORY_HORIZON_MS = 450 * DAY_MS;
/** Clock skew tolerated for records stamped in the future. */
export const MAX_FUTURE_SKEW_MS = 5 * MINUTE_MS;
const SLUGISH = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const METHODS = new Set<string>(HTTP_METHODS);

type Result = { ok: true; record: RequestRecord } | { ok: false; field: string; message: string };

/** A service or region slug as stored (lowercased), or null when `s` is not one. */
export function ingestSlug(s: string): string | null {
  return SLUGISH.test(s) ? s.toLowerCase() : null;
}
/**
 * `all` names every region together (the status API's `region=all`, the `region="all"` series of
 * /metrics/slos): a region of traffic may not take that name.
 */
export const ALL_REGIONS_NAME = "all";
/** A region slug as stored (lowercased), or null when `s` is not one or is the reserved `all`. */
export function ingestRegion(s: string): string | null {
  const slug = ingestSlug(s);
  return slug === ALL_REGIONS_NAME ? null : slug;
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
 * Validates one parsed NDJSON object. Hand-written rather than zod: it runs once per ingested line and is
 * on the hot path (see `pnpm bench`). Messages name the field.
 */
export function validateRequestRecord(
  o: unknown,
  nowMs: number,
  horizonMs: number = LATE_DATA_HORIZON_MS,
): Result {
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
  if (tsMs < nowMs - horizonMs)
    return horizonMs === LATE_DATA_HORIZON_MS
      ? fail("ts", "is older than the 7-day late-data horizon (older records: burnrate import-history)")
      : fail("ts", `is older than the ${Math.round(horizonMs / DAY_MS)}-day history horizon`);
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
    if (m === null)
      return typeof r.method === "string"
        ? fail("method", `'${r.method.slice(0, 20)}' is not an HTTP method (${HTTP_METHODS.join(", ")})`)
        : fail("method", "required: an HTTP method such as GET");
    if (typeof r.route !== "string" || !isIngestRoute(r.route))
      return fail("route", "required: a route starting with '/' (or give 'endpoint')");
    method = m;
    route = r.route;
  }
  const region = typeof r.region === "string" ? ingestRegion(r.region) : null;
  if (region === null)
    return typeof r.region === "string" && r.region.toLowerCase() === ALL_REGIONS_NAME
      ? fail("region", "'all' is reserved for all regions together: name the region (e.g. 'prod-eu')")
      : fail("region", "required: a region such as 'prod-eu'");
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
