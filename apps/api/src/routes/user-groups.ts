import {
  CreateUserGroupBody,
  ListUserGroupsQuery,
  PatchUserGroupBody,
  UserGroupResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createUserGroup,
  deleteUserGroup,
  getUserGroup,
  listUserGroups,
  patchUserGroup,
} from "../services/escalation/user-groups";
import { IdParams, checkId } from "./params";

const tags = ["on-call"];

/** User groups: named sets of people an escalation step pages (`{group: id}`). */
export function userGroupRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const groupId = (id: string) => checkId("user group", id);

  r.post(
    "/api/v1/user-groups",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description:
          "A named set of people an escalation step can page: a team's own (its editors change it), or org-wide (org admins).",
        body: CreateUserGroupBody,
        response: { 201: UserGroupResponse },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createUserGroup({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/user-groups",
    {
      config: { auth: "read" },
      schema: { tags, querystring: ListUserGroupsQuery, response: { 200: z.array(UserGroupResponse) } },
    },
    async (req) => listUserGroups({ db, team: req.query.team }),
  );
  r.get(
    "/api/v1/user-groups/:id",
    {
      config: { auth: "read" },
      schema: { tags, params: IdParams, response: { 200: UserGroupResponse } },
    },
    async (req) => getUserGroup({ db, id: groupId(req.params.id) }),
  );
  r.patch(
    "/api/v1/user-groups/:id",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, body: PatchUserGroupBody, response: { 200: UserGroupResponse } },
    },
    async (req) => patchUserGroup({ db, actor: req.actor, id: groupId(req.params.id), input: req.body }),
  );
  r.delete(
    "/api/v1/user-groups/:id",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description: "Refused (409) while an escalation policy's step pages the group.",
        params: IdParams,
        response: { 200: UserGroupResponse },
      },
    },
    async (req) => deleteUserGroup({ db, actor: req.actor, id: groupId(req.params.id) }),
  );
}
