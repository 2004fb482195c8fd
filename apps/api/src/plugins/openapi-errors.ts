import { ERROR_STATUS } from "@burnrate/contracts";

/**
 * The one error shape of the API in OpenAPI terms, and which error statuses an operation can answer. Every
 * operation declares its 4xx and 503 with the shared `Error` schema (components.responses); anything else
 * (a bug) is the `default` response, a 500 of the same shape.
 */

type JsonSchema = Record<string, unknown>;

export const ERROR_SCHEMA_NAME = "Error";

const Issue: JsonSchema = {
  type: "object",
  required: ["field", "message"],
  additionalProperties: false,
  properties: {
    field: { type: "string", description: "Where: `body.name`, `query.from`, `params.id` (may be empty)." },
    message: { type: "string" },
  },
};

export const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  description: "Every error the API answers, whatever its status.",
  required: ["error"],
  additionalProperties: false,
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      additionalProperties: false,
      properties: {
        code: { type: "string", enum: Object.keys(ERROR_STATUS) },
        message: {
          type: "string",
          description: "What went wrong, naming the field when a field is at fault.",
        },
        details: {
          type: "object",
          description: "Facts about the error; which ones depend on the error.",
          additionalProperties: true,
          properties: {
            issues: { type: "array", items: Issue, description: "Every invalid field of the request." },
            field: { type: "string", description: "The field at fault." },
            entity: { type: "string", description: "What was not found." },
            id: { type: "string", description: "The id or slug that was not found." },
            retryAfterSeconds: { type: "integer", description: "The Retry-After delay." },
          },
        },
      },
    },
  },
};

const RETRY_AFTER = {
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } },
};

/** Each error status: its component name and description. */
export const ERROR_RESPONSES = {
  400: [
    "ValidationError",
    "The request is invalid: a field, a parameter or the body (the message names it).",
  ],
  401: ["Unauthorized", "No valid session cookie or bearer token."],
  403: [
    "Forbidden",
    "The caller lacks the permission, or a cookie-authenticated write lacks the CSRF header.",
  ],
  404: ["NotFound", "What the request names does not exist."],
  409: ["Conflict", "The request conflicts with the current state (a slug in use, a stale change)."],
  413: ["PayloadTooLarge", "The request body is larger than the limit."],
  415: ["UnsupportedMediaType", "The Content-Type is not one the operation accepts."],
  429: ["RateLimited", "Too many requests, or ingest at capacity: retry after Retry-After."],
  503: ["Unavailable", "The database or Redis cannot serve now: retry after Retry-After."],
} as const satisfies Record<number, readonly [string, string]>;
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** components.responses: one per error status, plus `InternalError` for the default response. */
export function errorResponseComponents(errorRef: string): Record<string, JsonSchema> {
  const content = { "application/json": { schema: { $ref: errorRef } } };
  const out: Record<string, JsonSchema> = {};
  for (const [status, [name, description]] of Object.entries(ERROR_RESPONSES))
    out[name] = {
      description,
      content,
      ...(status === "429" || status === "503" ? { headers: RETRY_AFTER } : {}),
    };
  out.InternalError = { description: "An unexpected error (500); the server log has the details.", content };
  return out;
}

export interface RouteFacts {
  method: string;
  url: string;
  auth: string;
  hasParams: boolean;
  rateLimited: boolean;
  /** Extra statuses the route declares (`schema.openapi.errors`). */
  extra: readonly number[];
}

/**
 * The error statuses an operation can answer: 400 always (a malformed query, a control character anywhere);
 * 401/403 unless public; 404 with path or query parameters or on writes (what the body names); 409 on writes; 413/415
 * with a body; 429 when rate limited or ingest; 503 always (the database).
 */
export function errorStatusesOf(f: RouteFacts): ErrorStatus[] {
  const write = f.method !== "GET" && f.method !== "HEAD";
  const hasBody = f.method === "POST" || f.method === "PUT" || f.method === "PATCH";
  const out = new Set<number>([400, 503, ...f.extra]);
  if (f.auth !== "public") out.add(401).add(403);
  if (f.hasParams || write) out.add(404);
  if (write) out.add(409);
  if (hasBody) out.add(413).add(415);
  if (f.rateLimited || f.auth === "ingest") out.add(429);
  return [...out].filter((s): s is ErrorStatus => s in ERROR_RESPONSES).sort((a, b) => a - b);
}
