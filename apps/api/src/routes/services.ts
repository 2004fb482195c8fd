import { CreateServiceBody, Pagination, PatchServiceBody, ServiceResponse, Slug } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createService } from "../services/services/create-service";
import { deleteService } from "../services/services/delete-service";
import { getService } from "../services/services/get-service";
import { listServices } from "../services/services/list-services";
import { patchService } from "../services/services/patch-service";
import { NoContent, SlugParams } from "./params";

/** The services of the catalog (their endpoints and default SLOs have their own routes). */
export function serviceRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["catalog"];
  r.post(
    "/api/v1/services",
    {
      config: { auth: "write" },
      schema: { tags, body: CreateServiceBody, response: { 201: ServiceResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await createService({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/services",
    {
      config: { auth: "read" },
      schema: {
        tags,
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
      schema: { tags, params: z.object({ slug: z.string() }), response: { 200: ServiceResponse } },
    },
    async (req) => getService({ db, slug: req.params.slug }),
  );
  r.patch(
    "/api/v1/services/:slug",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: PatchServiceBody, response: { 200: ServiceResponse } },
    },
    async (req) => patchService({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/services/:slug",
    { config: { auth: "write" }, schema: { tags, params: SlugParams, response: NoContent } },
    async (req, reply) => {
      await deleteService({ db, actor: req.actor, slug: req.params.slug });
      return reply.code(204).send(null);
    },
  );
}
