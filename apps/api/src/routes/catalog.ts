import {
  CreateDeploymentBody,
  CreateServiceBody,
  CreateTeamBody,
  DeploymentResponse,
  Pagination,
  ServiceResponse,
  Slug,
  TeamResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createDeployment, listDeployments } from "../services/deployments";
import { createService, getService, listServices } from "../services/services";
import { createTeam, listTeams } from "../services/teams";

export function catalogRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.post(
    "/api/v1/teams",
    {
      config: { auth: "write" },
      schema: { tags: ["catalog"], body: CreateTeamBody, response: { 201: TeamResponse } },
    },
    async (req, reply) => reply.code(201).send(await createTeam({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/teams",
    { config: { auth: "read" }, schema: { tags: ["catalog"], response: { 200: z.array(TeamResponse) } } },
    async () => listTeams({ db }),
  );
  r.post(
    "/api/v1/services",
    {
      config: { auth: "write" },
      schema: { tags: ["catalog"], body: CreateServiceBody, response: { 201: ServiceResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await createService({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/services",
    {
      config: { auth: "read" },
      schema: {
        tags: ["catalog"],
        querystring: Pagination.extend({ team: Slug.optional() }),
        response: { 200: z.array(ServiceResponse) },
      },
    },
    async (req) => listServices({ db, ...req.query }),
  );
  r.get(
    "/api/v1/services/:slug",
    {
      config: { auth: "read" },
      schema: {
        tags: ["catalog"],
        params: z.object({ slug: z.string() }),
        response: { 200: ServiceResponse },
      },
    },
    async (req) => getService({ db, slug: req.params.slug }),
  );
  r.post(
    "/api/v1/deployments",
    {
      config: { auth: "write" },
      schema: { tags: ["catalog"], body: CreateDeploymentBody, response: { 201: DeploymentResponse } },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await createDeployment({ db, actor: req.actor, input: req.body, nowMs: deps.now() })),
  );
  r.get(
    "/api/v1/deployments",
    {
      config: { auth: "read" },
      schema: {
        tags: ["catalog"],
        querystring: z.object({ service: Slug, limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.array(DeploymentResponse) },
      },
    },
    async (req) => listDeployments({ db, service: req.query.service, limit: req.query.limit }),
  );
}
