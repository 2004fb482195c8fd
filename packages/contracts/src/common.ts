import { z } from "zod";

export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    "must be lowercase letters, digits and dashes (e.g. 'checkout-api')",
  );

/** ISO-8601 string or epoch milliseconds, as a Date. */
export const Instant = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()], {
    error: (iss) =>
      iss.input === undefined
        ? "required: an ISO-8601 time or epoch milliseconds"
        : "must be an ISO-8601 time with an offset (e.g. 2026-11-21T10:00:00Z) or epoch milliseconds",
  })
  .transform((v) => new Date(v))
  // Nothing Burnrate keeps is older than the epoch; a year like 0050 only costs time (rotations walk from their start).
  .refine((d) => d.getTime() >= 0, { message: "must not be before 1970-01-01" });

/**
 * The methods an endpoint may have. `_OTHER` is OpenTelemetry's semantic-convention value for a method the
 * instrumentation does not know (`http.request.method`), kept as its own endpoint.
 */
export const HTTP_METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "CONNECT",
  "TRACE",
  "_OTHER",
] as const;

/** "GET /user/{id}" -> { method, route } or null. */
export function parseEndpoint(s: string): { method: string; route: string } | null {
  const m = /^([A-Za-z_]+)\s+(\/\S*)$/.exec(s.trim());
  if (!m || !m[1] || !m[2]) return null;
  const method = m[1].toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(method)) return null;
  return { method, route: m[2] };
}
export function formatEndpoint(e: { method: string; route: string }): string {
  return `${e.method} ${e.route}`;
}

/** `?format=csv` asks a report for CSV, the same as `Accept: text/csv` (a download link cannot set headers). */
export const CsvFormat = z
  .enum(["json", "csv"])
  .optional()
  .describe("csv: the same as `Accept: text/csv` (for a download link)");
