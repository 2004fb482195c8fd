import { Slug } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { exportOpenSlo } from "../services/openslo/export";
import { importOpenSlo } from "../services/openslo/import";
import { QueryBool, acceptYamlBodies, yamlOfBody, yamlRequestBody } from "./yaml-body";

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

/** OpenSLO v1 export and v1/v1alpha import (see services/openslo/model.ts for the mapping). */
export async function opensloRoutes(app: FastifyInstance, deps: { db: Db; enqueue: Enqueue }): Promise<void> {
  const { db, enqueue } = deps;
  await app.register(async (scope) => {
    acceptYamlBodies(scope);
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
          querystring: z.object({ dryRun: QueryBool, reason: z.string().trim().min(3).max(2000).optional() }),
          response: { 200: ImportResponse },
          openapi: {
            requestBody: yamlRequestBody("OpenSLO"),
          },
        },
      },
      async (req) => {
        const yaml = yamlOfBody(req.body, "OpenSLO YAML");
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
