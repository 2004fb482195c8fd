import { Slug } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { importPrometheusSpecs } from "../services/prom-import/apply";
import { QueryBool, acceptYamlBodies, yamlOfBody, yamlRequestBody } from "./yaml-body";

export const SpecImportResponse = z.object({
  dryRun: z.boolean(),
  changed: z.boolean(),
  summary: z.object({ created: z.number(), updated: z.number(), unchanged: z.number() }),
  changes: z.array(
    z.object({
      service: z.string(),
      name: z.string(),
      action: z.enum(["create", "update", "unchanged"]),
      document: z.number(),
      fields: z.array(z.string()),
    }),
  ),
  warnings: z.array(z.string()),
});

const DOCS = {
  sloth:
    "Imports Sloth `prometheus/v1` specs (YAML, several documents) as Prometheus-sourced SLOs: `service`, `slos[].name`, `objective`, `description`, `sli.events.error_query`/`total_query`; 30-day rolling period and Burnrate's workbook tiers (the same multiwindow pairs Sloth generates); `page_alert.disable`/`ticket_alert.disable` turn those tiers off. Also Sloth's Kubernetes resource (`sloth.slok.dev/v1` PrometheusServiceLevel, the same spec under `spec`) and its OpenSLO `v1alpha` input (an SLO per objective named `<metadata.name>-<index>`, good/total queries, no alert tiers, as Sloth reads it). `sli.raw` and `sli.plugin` are refused naming the field.",
  pyrra:
    "Imports Pyrra `ServiceLevelObjective` documents (YAML, several documents) as Prometheus-sourced SLOs: service = `metadata.namespace`, name = `metadata.name`, `spec.target`, `spec.window`, and `spec.indicator.ratio` (errors/total) or `latency` (success/total). `grouping`, `bool_gauge` and `latencyNative` are refused naming the field.",
} as const;

/** Sloth and Pyrra spec import (services/prom-import). */
export async function promImportRoutes(
  app: FastifyInstance,
  deps: { db: Db; enqueue: Enqueue },
): Promise<void> {
  const { db, enqueue } = deps;
  await app.register(async (scope) => {
    acceptYamlBodies(scope);
    const r = scope.withTypeProvider<ZodTypeProvider>();
    for (const format of ["sloth", "pyrra"] as const)
      r.post(
        `/api/v1/import/${format}`,
        {
          config: { auth: "write" },
          schema: {
            tags: ["openslo"],
            description: `${DOCS[format]} Idempotent: SLOs are matched by service and name; a second apply of the same file changes nothing (summary created/updated/unchanged). \`dryRun=true\` only reports the plan. Services that do not exist are created in \`team\`.`,
            querystring: z.object({
              prometheusUrl: z
                .url({ protocol: /^https?$/ })
                .max(2000)
                .describe("the Prometheus HTTP API the SLIs are read from, e.g. http://prometheus:9090"),
              team: Slug.optional().describe(
                "team that owns services the file names and Burnrate does not have yet",
              ),
              dryRun: QueryBool,
              reason: z.string().trim().min(3).max(2000).optional(),
            }),
            response: { 200: SpecImportResponse },
            openapi: {
              requestBody: yamlRequestBody(format === "sloth" ? "Sloth" : "Pyrra"),
            },
          },
        },
        async (req) => {
          const yaml = yamlOfBody(req.body, "YAML");
          return importPrometheusSpecs({
            db,
            actor: req.actor,
            enqueue,
            format,
            yaml,
            prometheusUrl: req.query.prometheusUrl,
            team: req.query.team,
            dryRun: req.query.dryRun,
            ...(req.query.reason ? { reason: req.query.reason } : {}),
          });
        },
      );
  });
}
