import { DefaultSlosResponse, PutDefaultSlosBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Enqueue } from "@burnrate/jobs";
import { getDefaultSlos, putDefaultSlos } from "../services/default-slos";
import { SlugParams } from "./params";

/** A service's default SLOs, derived for each of its endpoints. */
export function defaultSloRoutes(app: FastifyInstance, deps: { db: Db; enqueue: Enqueue }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, enqueue } = deps;
  const tags = ["slos"];
  r.get(
    "/api/v1/services/:slug/default-slos",
    {
      config: { auth: "read" },
      schema: { tags, params: SlugParams, response: { 200: DefaultSlosResponse } },
    },
    async (req) => getDefaultSlos({ db, service: req.params.slug }),
  );
  r.put(
    "/api/v1/services/:slug/default-slos",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: PutDefaultSlosBody, response: { 200: DefaultSlosResponse } },
    },
    async (req) =>
      putDefaultSlos({ db, actor: req.actor, enqueue, service: req.params.slug, input: req.body }),
  );
}
