import {
  AuditEntry,
  AuditQuery,
  CreateEndpointBody,
  CreateTokenBody,
  CreateUserBody,
  CreatedTokenResponse,
  DefaultSlosResponse,
  DeleteQuery,
  EndpointResponse,
  MemberResponse,
  Pagination,
  PatchRegionBody,
  PatchServiceBody,
  PatchTeamBody,
  PutDefaultSlosBody,
  PutMemberBody,
  RegionResponse,
  ServiceResponse,
  TeamResponse,
  TokenResponse,
  UserResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { getDefaultSlos, putDefaultSlos } from "../services/default-slos";
import {
  createEndpoint,
  createToken,
  deleteEndpoint,
  deleteRegion,
  listAudit,
  listEndpoints,
  listRegions,
  listTokens,
  patchRegion,
  revokeToken,
} from "../services/registry";
import { deleteService, patchService } from "../services/services";
import { deleteSlo } from "../services/slos";
import { deleteTeam, getTeam, listMembers, patchTeam, putMember, removeMember } from "../services/teams";
import { createUser, listUsers } from "../services/users";
import { IdParams, checkId } from "./slos";

const SlugParams = z.object({ slug: z.string().max(64) });
const NoContent = { 204: z.null() };

/** Catalog maintenance: teams and members, users, services, endpoints, regions, tokens, audit, default SLOs. */
export function registryRoutes(app: FastifyInstance, deps: { db: Db; enqueue: Enqueue }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, enqueue } = deps;
  const t = (tag: string) => ({ tags: [tag] });

  r.get(
    "/api/v1/teams/:slug",
    {
      config: { auth: "read" },
      schema: { ...t("catalog"), params: SlugParams, response: { 200: TeamResponse } },
    },
    async (req) => getTeam({ db, slug: req.params.slug }),
  );
  r.patch(
    "/api/v1/teams/:slug",
    {
      config: { auth: "write" },
      schema: { ...t("catalog"), params: SlugParams, body: PatchTeamBody, response: { 200: TeamResponse } },
    },
    async (req) => patchTeam({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/teams/:slug",
    { config: { auth: "write" }, schema: { ...t("catalog"), params: SlugParams, response: NoContent } },
    async (req, reply) => {
      await deleteTeam({ db, actor: req.actor, slug: req.params.slug });
      return reply.code(204).send(null);
    },
  );
  r.get(
    "/api/v1/teams/:slug/members",
    {
      config: { auth: "read" },
      schema: { ...t("catalog"), params: SlugParams, response: { 200: z.array(MemberResponse) } },
    },
    async (req) => listMembers({ db, slug: req.params.slug }),
  );
  r.put(
    "/api/v1/teams/:slug/members",
    {
      config: { auth: "write" },
      schema: { ...t("catalog"), params: SlugParams, body: PutMemberBody, response: { 200: MemberResponse } },
    },
    async (req) => putMember({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/teams/:slug/members/:email",
    {
      config: { auth: "write" },
      schema: {
        ...t("catalog"),
        params: z.object({ slug: z.string(), email: z.string() }),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await removeMember({ db, actor: req.actor, slug: req.params.slug, email: req.params.email });
      return reply.code(204).send(null);
    },
  );

  r.post(
    "/api/v1/users",
    {
      config: { auth: "admin" },
      schema: { ...t("auth"), body: CreateUserBody, response: { 201: UserResponse } },
    },
    async (req, reply) => reply.code(201).send(await createUser({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/users",
    {
      config: { auth: "read" },
      schema: { ...t("auth"), querystring: Pagination, response: { 200: z.array(UserResponse) } },
    },
    async (req) => listUsers({ db, ...req.query }),
  );

  r.patch(
    "/api/v1/services/:slug",
    {
      config: { auth: "write" },
      schema: {
        ...t("catalog"),
        params: SlugParams,
        body: PatchServiceBody,
        response: { 200: ServiceResponse },
      },
    },
    async (req) => patchService({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/services/:slug",
    { config: { auth: "write" }, schema: { ...t("catalog"), params: SlugParams, response: NoContent } },
    async (req, reply) => {
      await deleteService({ db, actor: req.actor, slug: req.params.slug });
      return reply.code(204).send(null);
    },
  );
  r.get(
    "/api/v1/services/:slug/endpoints",
    {
      config: { auth: "read" },
      schema: { ...t("catalog"), params: SlugParams, response: { 200: z.array(EndpointResponse) } },
    },
    async (req) => listEndpoints({ db, service: req.params.slug }),
  );
  r.post(
    "/api/v1/services/:slug/endpoints",
    {
      config: { auth: "write" },
      schema: {
        ...t("catalog"),
        params: SlugParams,
        body: CreateEndpointBody,
        response: { 201: EndpointResponse },
      },
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
    { config: { auth: "write" }, schema: { ...t("catalog"), params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deleteEndpoint({ db, actor: req.actor, enqueue, id: checkId("endpoint", req.params.id) });
      return reply.code(204).send(null);
    },
  );
  r.get(
    "/api/v1/services/:slug/default-slos",
    {
      config: { auth: "read" },
      schema: { ...t("slos"), params: SlugParams, response: { 200: DefaultSlosResponse } },
    },
    async (req) => getDefaultSlos({ db, service: req.params.slug }),
  );
  r.put(
    "/api/v1/services/:slug/default-slos",
    {
      config: { auth: "write" },
      schema: {
        ...t("slos"),
        params: SlugParams,
        body: PutDefaultSlosBody,
        response: { 200: DefaultSlosResponse },
      },
    },
    async (req) =>
      putDefaultSlos({ db, actor: req.actor, enqueue, service: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/slos/:id",
    {
      config: { auth: "write" },
      schema: { ...t("slos"), params: IdParams, querystring: DeleteQuery, response: NoContent },
    },
    async (req, reply) => {
      await deleteSlo({
        db,
        actor: req.actor,
        enqueue,
        id: checkId("slo", req.params.id),
        reason: req.query.reason,
      });
      return reply.code(204).send(null);
    },
  );

  r.get(
    "/api/v1/regions",
    { config: { auth: "read" }, schema: { ...t("catalog"), response: { 200: z.array(RegionResponse) } } },
    async () => listRegions({ db }),
  );
  r.patch(
    "/api/v1/regions/:slug",
    {
      config: { auth: "admin" },
      schema: {
        ...t("catalog"),
        params: SlugParams,
        body: PatchRegionBody,
        response: { 200: RegionResponse },
      },
    },
    async (req) => patchRegion({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.delete(
    "/api/v1/regions/:slug",
    { config: { auth: "admin" }, schema: { ...t("catalog"), params: SlugParams, response: NoContent } },
    async (req, reply) => {
      await deleteRegion({ db, actor: req.actor, slug: req.params.slug });
      return reply.code(204).send(null);
    },
  );

  r.post(
    "/api/v1/tokens",
    {
      config: { auth: "write" },
      schema: { ...t("auth"), body: CreateTokenBody, response: { 201: CreatedTokenResponse } },
    },
    async (req, reply) => reply.code(201).send(await createToken({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/tokens",
    { config: { auth: "read" }, schema: { ...t("auth"), response: { 200: z.array(TokenResponse) } } },
    async (req) => listTokens({ db, actor: req.actor }),
  );
  r.delete(
    "/api/v1/tokens/:id",
    {
      config: { auth: "write" },
      schema: { ...t("auth"), params: IdParams, response: { 200: TokenResponse } },
    },
    async (req) => revokeToken({ db, actor: req.actor, id: checkId("token", req.params.id) }),
  );

  r.get(
    "/api/v1/audit",
    {
      config: { auth: "read" },
      schema: { ...t("audit"), querystring: AuditQuery, response: { 200: z.array(AuditEntry) } },
    },
    async (req) => listAudit({ db, query: req.query }),
  );
}
