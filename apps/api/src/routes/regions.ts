import { PatchRegionBody, RegionResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { deleteRegion } from "../services/regions/delete-region";
import { listRegions } from "../services/regions/list-regions";
import { patchRegion } from "../services/regions/patch-region";
import { NoContent, SlugParams } from "./params";

/** Regions (first seen in traffic); org admins name them and say which are production. */
export function regionRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["catalog"];
  r.get(
    "/api/v1/regions",
    { config: { auth: "read" }, schema: { tags, response: { 200: z.array(RegionResponse) } } },
    async () => listRegions({ db }),
  );
  r.patch(
    "/api/v1/regions/:slug",
    {
      config: { auth: "admin" },
      schema: { tags, params: SlugParams, body: PatchRegionBody, response: { 200: RegionResponse } },
    },
    async (req) => patchRegion({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/regions/:slug",
    { config: { auth: "admin" }, schema: { tags, params: SlugParams, response: NoContent } },
    async (req, reply) => {
      await deleteRegion({ db, actor: req.actor, slug: req.params.slug });
      return reply.code(204).send(null);
    },
  );
}
