import { AppError, ERROR_STATUS, type ErrorBody } from "@burnrate/contracts";
import { dbTrouble, isUniqueViolation } from "@burnrate/db";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/** Maps every error to `{error:{code,message,details}}` once. Unknown errors are logged and become a generic 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues = err.validation.map((v) => {
        const path = [
          err.validationContext,
          ...String(v.instancePath ?? "")
            .split("/")
            .filter(Boolean),
        ];
        const field =
          path.slice(1).join(".") ||
          (v.params as { issue?: { path?: unknown[] } })?.issue?.path?.join(".") ||
          "";
        return { field, message: v.message ?? "invalid" };
      });
      const first = issues[0];
      const body: ErrorBody = {
        error: {
          code: "validation_error",
          message: first
            ? `${err.validationContext} ${first.field ? `field '${first.field}'` : ""}: ${first.message}`.replace(
                /\s+:/,
                ":",
              )
            : "invalid request",
          details: { issues },
        },
      };
      return reply.code(400).send(body);
    }
    if (err instanceof AppError) {
      return reply
        .code(err.status)
        .send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const status = err.statusCode ?? 500;
    if (status === 413 || err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
      return reply
        .code(413)
        .send({ error: { code: "payload_too_large", message: "request body is larger than the limit" } });
    }
    if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
      return reply.code(415).send({ error: { code: "unsupported_media_type", message: err.message } });
    }
    if (status === 429) {
      return reply.code(429).send({ error: { code: "rate_limited", message: err.message } });
    }
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON, empty body, …): keep its message, never a stack.
      const code =
        (Object.keys(ERROR_STATUS) as (keyof typeof ERROR_STATUS)[]).find(
          (k) => ERROR_STATUS[k] === status,
        ) ?? "validation_error";
      return reply.code(status).send({ error: { code, message: err.message } });
    }
    // The database is down, or could not serve in time (a row held by another writer, no free connection):
    // worth a retry, and not the caller's fault nor a bug.
    const trouble = dbTrouble(err);
    if (trouble) {
      req.log.warn({ err: err.message, trouble }, "database trouble: answered 503");
      const retryAfterS = trouble === "busy" ? 1 : 5;
      return reply
        .code(503)
        .header("retry-after", String(retryAfterS))
        .send({
          error: {
            code: "unavailable",
            message:
              trouble === "busy"
                ? "the database is busy; retry after the Retry-After delay"
                : "the database cannot be reached; retry after the Retry-After delay",
            details: { retryAfterSeconds: retryAfterS },
          },
        });
    }
    if (isUniqueViolation(err)) {
      req.log.warn({ err: err.message }, "concurrent change: answered 409");
      return reply.code(409).send({
        error: {
          code: "conflict",
          message: "another change to the same thing was saved at the same moment; reload it and try again",
        },
      });
    }
    req.log.error({ err }, "unhandled error");
    return reply
      .code(500)
      .send({ error: { code: "internal", message: "internal error; see the server log" } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ error: { code: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` } }),
  );
}
