import {
  CreateStakeholderGroupBody,
  PatchStakeholderGroupBody,
  StakeholderGroupResponse,
  CreateStakeholderRingBody,
  PatchStakeholderRingBody,
  SendStakeholderNotificationBody,
  StakeholderNotificationResponse,
  StakeholderRingResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listNotifications, sendNotification } from "../services/stakeholders/notifications";
import { createGroup, deleteGroup, listGroups, patchGroup } from "../services/stakeholders/groups";
import { createRing, listRings, patchRing } from "../services/stakeholders/rings";
import { IdParams, NoContent, checkId } from "./params";

const tags = ["incidents"];

export function stakeholderRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.post(
    "/api/v1/stakeholder-rings",
    {
      config: { auth: "admin" },
      schema: { tags, body: CreateStakeholderRingBody, response: { 201: StakeholderRingResponse } },
    },
    async (req, reply) => reply.code(201).send(await createRing({ db, actor: req.actor, input: req.body })),
  );
  r.patch(
    "/api/v1/stakeholder-rings/:id",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        params: IdParams,
        body: PatchStakeholderRingBody,
        response: { 200: StakeholderRingResponse },
      },
    },
    async (req) =>
      patchRing({ db, actor: req.actor, id: checkId("stakeholder ring", req.params.id), input: req.body }),
  );
  r.get(
    "/api/v1/stakeholder-rings",
    { config: { auth: "read" }, schema: { tags, response: { 200: z.array(StakeholderRingResponse) } } },
    async () => listRings({ db }),
  );
  r.post(
    "/api/v1/stakeholder-groups",
    {
      config: { auth: "admin" },
      schema: { tags, body: CreateStakeholderGroupBody, response: { 201: StakeholderGroupResponse } },
    },
    async (req, reply) => reply.code(201).send(await createGroup({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/stakeholder-groups",
    { config: { auth: "read" }, schema: { tags, response: { 200: z.array(StakeholderGroupResponse) } } },
    async () => listGroups({ db }),
  );
  r.patch(
    "/api/v1/stakeholder-groups/:id",
    {
      config: { auth: "admin" },
      schema: {
        tags,
        params: IdParams,
        body: PatchStakeholderGroupBody,
        response: { 200: StakeholderGroupResponse },
      },
    },
    async (req) =>
      patchGroup({ db, actor: req.actor, id: checkId("stakeholder group", req.params.id), input: req.body }),
  );
  r.delete(
    "/api/v1/stakeholder-groups/:id",
    { config: { auth: "admin" }, schema: { tags, params: IdParams, response: NoContent } },
    async (req, reply) => {
      await deleteGroup({ db, actor: req.actor, id: checkId("stakeholder group", req.params.id) });
      return reply.code(204).send(null);
    },
  );
  r.post(
    "/api/v1/incidents/:id/notifications",
    {
      config: { auth: "write" },
      schema: {
        tags,
        params: IdParams,
        body: SendStakeholderNotificationBody,
        response: { 201: StakeholderNotificationResponse },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await sendNotification({
          db,
          actor: req.actor,
          incidentId: checkId("incident", req.params.id),
          input: req.body,
          nowMs: deps.now(),
        }),
      ),
  );
  r.get(
    "/api/v1/incidents/:id/notifications",
    {
      config: { auth: "read" },
      schema: { tags, params: IdParams, response: { 200: z.array(StakeholderNotificationResponse) } },
    },
    async (req) => listNotifications({ db, incidentId: checkId("incident", req.params.id) }),
  );
}
