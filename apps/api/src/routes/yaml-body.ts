import { ValidationError } from "@burnrate/contracts";
import type { FastifyInstance } from "fastify";
import { z } from "zod";

/** The content types a YAML body may come as (besides text/plain and JSON `{yaml}`). */
const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

/** `?dryRun=true` and the like: a boolean query parameter, false when absent. */
export const QueryBool = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((v) => v === "true" || v === "1");

/** Lets the routes of this scope take a YAML body as a string. */
export function acceptYamlBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_req, body, done) => done(null, body));
}

/** The OpenAPI request body of a YAML import: YAML or plain text, or JSON `{yaml}`. */
export function yamlRequestBody(what: string) {
  return {
    description: `${what} YAML (one or more documents), as text or as JSON \`{yaml}\`.`,
    content: {
      ...Object.fromEntries(YAML_TYPES.map((t) => [t, { schema: z.string().min(1) }])),
      "text/plain": { schema: z.string().min(1) },
      "application/json": { schema: z.strictObject({ yaml: z.string().min(1) }) },
    },
  };
}

/** The YAML text of a request body (a string, or JSON `{yaml}`); a 400 naming the body when there is none. */
export function yamlOfBody(body: unknown, what: string): string {
  const yaml =
    typeof body === "string"
      ? body
      : typeof body === "object" && body !== null && typeof (body as { yaml?: unknown }).yaml === "string"
        ? (body as { yaml: string }).yaml
        : null;
  if (yaml === null || yaml.trim() === "")
    throw new ValidationError(
      `body: send the ${what} as the request body (Content-Type: application/yaml) or JSON {"yaml": "…"}`,
      { field: "body" },
    );
  return yaml;
}
