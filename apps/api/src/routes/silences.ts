import { CreateSilenceBody, ListSilencesQuery, SilenceResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createSilence, endSilence, listSilences } from "../services/silences";
import { IdParams, checkId } from "./params";

export function silenceRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.post(
    "/api/v1/silences",
    {
      config: { auth: "write" },
      schema: { tags: ["alerts"], body: CreateSilenceBody, response: { 201: SilenceResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await createSilence({ db, actor: req.actor, input: req.body, nowMs: deps.now() })),
  );
  r.get(
    "/api/v1/silences",
    {
      config: { auth: "read" },
      schema: {
        tags: ["alerts"],
        querystring: ListSilencesQuery,
        response: { 200: z.array(SilenceResponse) },
      },
    },
    async (req) => listSilences({ db, ...req.query, nowMs: deps.now() }),
  );
  r.delete(
    "/api/v1/silences/:id",
    {
      config: { auth: "write" },
      schema: { tags: ["alerts"], params: IdParams, response: { 200: SilenceResponse } },
    },
    async (req) =>
      endSilence({ db, actor: req.actor, id: checkId("silence", req.params.id), nowMs: deps.now() }),
  );
}
