import {
  CreateIncidentBody,
  IncidentResponse,
  IncidentUpdateBody,
  ListIncidentsQuery,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createIncident } from "../services/incidents/create-incident";
import { getIncident, listIncidents } from "../services/incidents/read-incidents";
import { postIncidentUpdate } from "../services/incidents/update-incident";
import { IdParams, checkId } from "./params";

export function incidentRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.post(
    "/api/v1/incidents",
    {
      config: { auth: "write" },
      schema: { tags: ["incidents"], body: CreateIncidentBody, response: { 201: IncidentResponse } },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await createIncident({ db, actor: req.actor, input: req.body, nowMs: deps.now() })),
  );
  r.get(
    "/api/v1/incidents",
    {
      config: { auth: "read" },
      schema: {
        tags: ["incidents"],
        querystring: ListIncidentsQuery,
        response: { 200: z.array(IncidentResponse) },
      },
    },
    async (req) => listIncidents({ db, query: req.query }),
  );
  r.get(
    "/api/v1/incidents/:id",
    {
      config: { auth: "read" },
      schema: { tags: ["incidents"], params: IdParams, response: { 200: IncidentResponse } },
    },
    async (req) => getIncident({ db, id: checkId("incident", req.params.id) }),
  );
  r.post(
    "/api/v1/incidents/:id/updates",
    {
      config: { auth: "write" },
      schema: {
        tags: ["incidents"],
        params: IdParams,
        body: IncidentUpdateBody,
        response: { 200: IncidentResponse },
      },
    },
    async (req) =>
      postIncidentUpdate({
        db,
        actor: req.actor,
        id: checkId("incident", req.params.id),
        input: req.body,
        nowMs: deps.now(),
      }),
  );
}
