import {
  CreateTeamBody,
  MemberResponse,
  PatchTeamBody,
  PutMemberBody,
  TeamResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createTeam } from "../services/teams/create-team";
import { deleteTeam } from "../services/teams/delete-team";
import { getTeam } from "../services/teams/get-team";
import { listMembers } from "../services/teams/list-members";
import { listTeams } from "../services/teams/list-teams";
import { patchTeam } from "../services/teams/patch-team";
import { putMember } from "../services/teams/put-member";
import { removeMember } from "../services/teams/remove-member";
import { NoContent, SlugParams } from "./params";

/** Teams and their members. */
export function teamRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["catalog"];
  r.post(
    "/api/v1/teams",
    { config: { auth: "write" }, schema: { tags, body: CreateTeamBody, response: { 201: TeamResponse } } },
    async (req, reply) => reply.code(201).send(await createTeam({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/teams",
    { config: { auth: "read" }, schema: { tags, response: { 200: z.array(TeamResponse) } } },
    async () => listTeams({ db }),
  );
  r.get(
    "/api/v1/teams/:slug",
    { config: { auth: "read" }, schema: { tags, params: SlugParams, response: { 200: TeamResponse } } },
    async (req) => getTeam({ db, slug: req.params.slug }),
  );
  r.patch(
    "/api/v1/teams/:slug",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: PatchTeamBody, response: { 200: TeamResponse } },
    },
    async (req) => patchTeam({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/teams/:slug",
    { config: { auth: "write" }, schema: { tags, params: SlugParams, response: NoContent } },
    async (req, reply) => {
      await deleteTeam({ db, actor: req.actor, slug: req.params.slug });
      return reply.code(204).send(null);
    },
  );
  r.get(
    "/api/v1/teams/:slug/members",
    {
      config: { auth: "read" },
      schema: { tags, params: SlugParams, response: { 200: z.array(MemberResponse) } },
    },
    async (req) => listMembers({ db, slug: req.params.slug }),
  );
  r.put(
    "/api/v1/teams/:slug/members",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: PutMemberBody, response: { 200: MemberResponse } },
    },
    async (req) => putMember({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/teams/:slug/members/:email",
    {
      config: { auth: "write" },
      schema: { tags, params: z.object({ slug: z.string(), email: z.string() }), response: NoContent },
    },
    async (req, reply) => {
      await removeMember({ db, actor: req.actor, slug: req.params.slug, email: req.params.email });
      return reply.code(204).send(null);
    },
  );
}
