import type { FastifyInstance } from "fastify";
import {
  BAD_IN_NAME,
  BAD_IN_TEXT,
  controlCharacterError,
  findControlCharacter,
} from "../services/control-characters";

/** Routes whose bodies are NDJSON / OTLP batches: those are checked line by line by the ingest code. */
const PER_LINE_BODIES = ["/api/v1/ingest/", "/v1/traces"];

/**
 * One guard for every route: a NUL or other control character in a path parameter, query value or JSON body
 * string is refused with a 400 naming the field, before validation and before anything reaches Postgres.
 * Ingest batches are exempt here: their lines are checked one by one, so one bad line costs only itself.
 */
export function registerHostileInputGuard(app: FastifyInstance): void {
  app.addHook("preValidation", async (req) => {
    const hit =
      findControlCharacter(req.params, "params", BAD_IN_NAME) ??
      findControlCharacter(req.query, "query", BAD_IN_NAME) ??
      (PER_LINE_BODIES.some((p) => (req.routeOptions.url ?? req.url).startsWith(p))
        ? null
        : findControlCharacter(req.body, "body", BAD_IN_TEXT));
    if (hit) throw controlCharacterError(hit);
  });
}
