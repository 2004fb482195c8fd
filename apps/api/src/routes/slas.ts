import {
  CreateSlaBody,
  ListSlasQuery,
  PatchSlaBody,
  SlaResponse,
  SlaStatusQuery,
  SlaStatusResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createSla, deleteSla, getSla, listSlas, patchSla } from "../services/slas/manage-slas";
import { wantsCsv } from "../services/reports/csv";
import { slaStatus, slaStatusCsv } from "../services/slas/sla-status";
import { IdParams, checkId } from "./params";

const tags = ["slas"];

export function slaRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const slaId = (id: string) => checkId("sla", id);

  r.post(
    "/api/v1/slas",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description:
          "A contractual objective over one or more services' requests per calendar period, with optional tiers and endpoint-level SLAs.",
        body: CreateSlaBody,
        response: { 201: SlaResponse },
      },
    },
    async (req, reply) => reply.code(201).send(await createSla({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/slas",
    {
      config: { auth: "read" },
      schema: { tags, querystring: ListSlasQuery, response: { 200: z.array(SlaResponse) } },
    },
    async (req) => listSlas({ db, service: req.query.service, team: req.query.team }),
  );
  r.get(
    "/api/v1/slas/:id",
    { config: { auth: "read" }, schema: { tags, params: IdParams, response: { 200: SlaResponse } } },
    async (req) => getSla({ db, id: slaId(req.params.id) }),
  );
  r.patch(
    "/api/v1/slas/:id",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, body: PatchSlaBody, response: { 200: SlaResponse } },
    },
    async (req) => patchSla({ db, actor: req.actor, id: slaId(req.params.id), input: req.body }),
  );
  r.delete(
    "/api/v1/slas/:id",
    { config: { auth: "write" }, schema: { tags, params: IdParams, response: { 200: SlaResponse } } },
    async (req) => deleteSla({ db, actor: req.actor, id: slaId(req.params.id) }),
  );
  r.get(
    "/api/v1/slas/:id/status",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description:
          "Per period (the current one and the N − 1 before it): good/total, budget left, depletion, adherence and depletion speeds of the contractual SLA and each endpoint-level SLA, adherence per tier, and the endpoint-level SLAs broken with a broken contractual period. With `Accept: text/csv` (or `format=csv`), one CSV line per SLA × period.",
        params: IdParams,
        querystring: SlaStatusQuery,
        openapi: {
          responses: {
            200: {
              description: "The SLA's periods, as JSON or CSV.",
              content: {
                "application/json": { schema: SlaStatusResponse },
                "text/csv": { schema: z.string() },
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const status = await slaStatus({
        db,
        id: slaId(req.params.id),
        periods: req.query.periods,
        nowMs: deps.now(),
      });
      if (!wantsCsv(req.headers.accept, req.query.format)) return reply.send(status);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="sla-${status.id}.csv"`)
        .send(slaStatusCsv(status));
    },
  );
}
