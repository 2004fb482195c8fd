import { CreateEndpointBody, EndpointResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Enqueue } from "@burnrate/jobs";
import { createEndpoint } from "../services/endpoints/create-endpoint";
import { deleteEndpoint } from "../services/endpoints/delete-endpoint";
import { listEndpoints } from "../services/endpoints/list-endpoints";
import { IdParams, NoContent, SlugParams, checkId } from "./params";

/** A service's endpoints (`METHOD /route`), registered by hand or first seen in traffic. */
export function endpointRoutes(app: FastifyInstance, deps: { db: Db; enqueue: Enqueue }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, enqueue } = deps;
  const tags = ["catalog"];
  r.get(
    "/api/v1/services/:slug/endpoints",
    {
      config: { auth: "read" },
      schema: { tags, params: SlugParams, response: { 200: z.array(EndpointResponse) } },
    },
    async (req) => listEndpoints({ db, service: req.params.slug }),
  );
  r.post(
    "/api/v1/services/:slug/endpoints",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: CreateEndpointBody, response: { 201: EndpointResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(
        await createEndpoint({
          db,
          actor: req.actor,
          enqueue,
          service: req.params.slug,
          endpoint: req.body.endpoint,
        }),
      ),
  );
  r.delete(
    "/api/v1/endpoints/:id",
    { config: { auth: "write" }, schema: { tags, params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deleteEndpoint({ db, actor: req.actor, enqueue, id: checkId("endpoint", req.params.id) });
      return reply.code(204).send(null);
    },
  );
}
