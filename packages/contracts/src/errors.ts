import { z } from "zod";

/** The one error vocabulary of the HTTP API. Each code maps to exactly one status. */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super("validation_error", message, details);
  }
}
export class NotFoundError extends AppError {
  constructor(what: string, id: string) {
    super("not_found", `${what} '${id}' not found`, { entity: what, id });
  }
}
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super("conflict", message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "authentication required: send a session cookie or 'Authorization: Bearer <token>'") {
    super("unauthorized", message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super("forbidden", message);
  }
}
