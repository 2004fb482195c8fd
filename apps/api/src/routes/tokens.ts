import { CreateTokenBody, CreatedTokenResponse, TokenResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createToken } from "../services/tokens/create-token";
import { listTokens } from "../services/tokens/list-tokens";
import { revokeToken } from "../services/tokens/revoke-token";
import { IdParams, checkId } from "./params";

/** API tokens: created (the secret is shown once), listed, revoked. */
export function tokenRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["auth"];
  r.post(
    "/api/v1/tokens",
    {
      config: { auth: "write" },
      schema: { tags, body: CreateTokenBody, response: { 201: CreatedTokenResponse } },
    },
    async (req, reply) => reply.code(201).send(await createToken({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/tokens",
    { config: { auth: "read" }, schema: { tags, response: { 200: z.array(TokenResponse) } } },
    async (req) => listTokens({ db, actor: req.actor }),
  );
  r.delete(
    "/api/v1/tokens/:id",
    { config: { auth: "write" }, schema: { tags, params: IdParams, response: { 200: TokenResponse } } },
    async (req) => revokeToken({ db, actor: req.actor, id: checkId("token", req.params.id) }),
  );
}
