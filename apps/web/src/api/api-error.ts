import { ErrorBody } from "@burnrate/contracts";
import { z } from "zod";

/** A 400's field messages: the API's error handler sends `details.issues: [{ field, message }]`. */
const ValidationDetails = z.object({
  issues: z.array(z.object({ field: z.string(), message: z.string() })),
});

/** A 400 of a check in the API's services: `details: { field }`. */
const OneField = z.object({ field: z.string().min(1) });

/**
 * An answer of the API other than 2xx (400, 401, 403, 404, 409, 429, 503…), from its `{ error: { code, message,
 * details } }` body. `message` is the API's own sentence (a 400's names the field), and is what every page shows;
 * `fields` lets a form mark the fields of a 400; `retryAfterMs` says when a 429 or 503 may be retried.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** field path (e.g. `sli.thresholdMs`) → message; empty unless the API named fields */
    readonly fields: Readonly<Record<string, string>> = {},
    /** from `Retry-After`; null when the answer did not say */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Retry-After in seconds (the only form the API sends), as ms; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === "") return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null;
}

/** The ApiError for a non-2xx answer; a body that is not the API's error shape still gives status and code. */
export function apiErrorFrom(status: number, body: unknown, retryAfter: string | null): ApiError {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success)
    return new ApiError(status, "http_error", `HTTP ${status}`, {}, retryAfterMs(retryAfter));
  const { code, message, details } = parsed.data.error;
  const fields: Record<string, string> = {};
  const v = ValidationDetails.safeParse(details);
  // one spelling of a path for the forms: `children[0].service` is `children.0.service`
  const path = (field: string) => field.replace(/\[(\d+)\]/g, ".$1");
  if (v.success)
    for (const i of v.data.issues) if (i.field && !fields[path(i.field)]) fields[path(i.field)] = i.message;
  // a check of the API's own (not the schema's) names one field: `details.field`, the sentence in `message`
  const one = OneField.safeParse(details);
  if (one.success && !fields[path(one.data.field)])
    fields[path(one.data.field)] = message.replace(/^(body|query|params) field '[^']*':\s*/, "");
  return new ApiError(status, code, message, fields, retryAfterMs(retryAfter));
}

/** The one sentence a page shows for a failed request or action, whatever failed. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Whether the API said the thing asked for does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Tries a failed query again (up to 3 times) only when a retry can help: never after a 4xx other than 429. */
export function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429)
    return false;
  return failures < 3;
}
