import { CreateDeploymentBody, DeploymentResponse, Slug } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createDeployment, listDeployments } from "../services/deployments";

/** Deployments, recorded by CI/CD and drawn on the graphs. */
export function deploymentRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["catalog"];
  r.post(
    "/api/v1/deployments",
    {
      config: { auth: "write" },
      schema: { tags, body: CreateDeploymentBody, response: { 201: DeploymentResponse } },
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
        tags,
        querystring: z.object({ service: Slug, limit: z.coerce.number().int().min(1).max(500).default(50) }),
        response: { 200: z.array(DeploymentResponse) },
      },
    },
    async (req) => listDeployments({ db, service: req.query.service, limit: req.query.limit }),
  );
}
