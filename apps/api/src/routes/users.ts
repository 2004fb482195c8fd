import { CreateUserBody, Pagination, UserResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createUser, listUsers } from "../services/users";

/** People who sign in (created by org admins). */
export function userRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["auth"];
  r.post(
    "/api/v1/users",
    { config: { auth: "admin" }, schema: { tags, body: CreateUserBody, response: { 201: UserResponse } } },
    async (req, reply) => reply.code(201).send(await createUser({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/users",
    {
      config: { auth: "read" },
      schema: { tags, querystring: Pagination, response: { 200: z.array(UserResponse) } },
    },
    async (req) => listUsers({ db, ...req.query }),
  );
}
