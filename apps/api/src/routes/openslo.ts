import { Slug, ValidationError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { exportOpenSlo } from "../services/openslo/export";
import { importOpenSlo } from "../services/openslo/import";

const YAML_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"];

const FieldChange = z.object({ field: z.string(), before: z.unknown(), after: z.unknown() });
export const ImportResponse = z.object({
  dryRun: z.boolean(),
  changed: z.boolean(),
  message: z.string(),
  summary: z.object({ created: z.number(), updated: z.number(), unchanged: z.number() }),
  changes: z.array(
    z.object({
      kind: z.enum(["team", "service", "slo"]),
      name: z.string(),
      action: z.enum(["create", "update", "unchanged"]),
      document: z.number().nullable(),
      fields: z.array(FieldChange),
    }),
  ),
  warnings: z.array(z.string()),
});

const Bool = z
  .enum(["true", "false", "1", "0"])
  .default("false")
  .transform((v) => v === "true" || v === "1");

/** OpenSLO v1 export and v1/v1alpha import (see services/openslo/model.ts for the mapping). */
export async function opensloRoutes(app: FastifyInstance, deps: { db: Db; enqueue: Enqueue }): Promise<void> {
  const { db, enqueue } = deps;
  await app.register(async (scope) => {
    scope.addContentTypeParser(YAML_TYPES, { parseAs: "string" }, (_req, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.get(
      "/api/v1/openslo/export",
      {
        config: { auth: "read" },
        schema: {
          tags: ["openslo"],
          description:
            "OpenSLO v1 YAML (multi-document) of every service, or one: Service, SLI, AlertPolicy per alert tier (short window in the burnrate.io/short-window annotation), SLO, and the teams' Slack AlertNotificationTargets. Export → import → export gives the same bytes.",
          querystring: z.object({ service: Slug.optional() }),
          openapi: {
            responses: {
              200: {
                description: "OpenSLO v1 documents, YAML, separated by `---`.",
                content: { "application/yaml": { schema: z.string() } },
              },
            },
          },
        },
      },
      async (req, reply) =>
        reply
          .type("application/yaml; charset=utf-8")
          .send(await exportOpenSlo({ db, service: req.query.service })),
    );
    r.post(
      "/api/v1/openslo/import",
      {
        config: { auth: "write" },
        schema: {
          tags: ["openslo"],
          description:
            "Imports OpenSLO v1 or v1alpha YAML (several documents or a list) as the body (application/yaml or text/plain), or JSON {yaml}. Idempotent: SLOs are matched by service and name; a second import of the same file changes nothing. `dryRun=true` only reports the plan. Errors name the document (index, kind, name) and the field.",
          querystring: z.object({ dryRun: Bool, reason: z.string().trim().min(3).max(2000).optional() }),
          response: { 200: ImportResponse },
          openapi: {
            requestBody: {
              description: "OpenSLO YAML (one or more documents), as text or as JSON `{yaml}`.",
              content: {
                ...Object.fromEntries(YAML_TYPES.map((t) => [t, { schema: z.string().min(1) }])),
                "text/plain": { schema: z.string().min(1) },
                "application/json": { schema: z.strictObject({ yaml: z.string().min(1) }) },
              },
            },
          },
        },
      },
      async (req) => {
        const body: unknown = req.body;
        const yaml =
          typeof body === "string"
            ? body
            : typeof body === "object" &&
                body !== null &&
                typeof (body as { yaml?: unknown }).yaml === "string"
              ? (body as { yaml: string }).yaml
              : null;
        if (yaml === null || yaml.trim() === "")
          throw new ValidationError(
            'body: send the OpenSLO YAML as the request body (Content-Type: application/yaml) or JSON {"yaml": "…"}',
            { field: "body" },
          );
        return importOpenSlo({
          db,
          actor: req.actor,
          enqueue,
          yaml,
          dryRun: req.query.dryRun,
          ...(req.query.reason ? { reason: req.query.reason } : {}),
        });
      },
    );
  });
}
