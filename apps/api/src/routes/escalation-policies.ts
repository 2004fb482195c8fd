import {
  CreateEscalationPolicyBody,
  EscalationPolicyResponse,
  ListEscalationPoliciesQuery,
  NotificationRulesResponse,
  PatchEscalationPolicyBody,
  PutNotificationRulesBody,
  PutSloEscalationPolicyBody,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createEscalationPolicy,
  deleteEscalationPolicy,
  getEscalationPolicy,
  listEscalationPolicies,
  patchEscalationPolicy,
  setSloEscalationPolicy,
} from "../services/escalation/manage-policies";
import { getNotificationRules, putNotificationRules } from "../services/escalation/notification-rules";
import { IdParams, checkId } from "./params";

const tags = ["on-call"];

export function escalationRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const policyId = (id: string) => checkId("escalation policy", id);

  r.post(
    "/api/v1/escalation-policies",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description:
          "Ordered steps, each notifying its target and waiting ackTimeoutSeconds for an acknowledgement; the chain runs 1 + repeat times.",
        body: CreateEscalationPolicyBody,
        response: { 201: EscalationPolicyResponse },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createEscalationPolicy({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/escalation-policies",
    {
      config: { auth: "read" },
      schema: {
        tags,
        querystring: ListEscalationPoliciesQuery,
        response: { 200: z.array(EscalationPolicyResponse) },
      },
    },
    async (req) => listEscalationPolicies({ db, team: req.query.team }),
  );
  r.get(
    "/api/v1/escalation-policies/:id",
    {
      config: { auth: "read" },
      schema: { tags, params: IdParams, response: { 200: EscalationPolicyResponse } },
    },
    async (req) => getEscalationPolicy({ db, id: policyId(req.params.id) }),
  );
  r.patch(
    "/api/v1/escalation-policies/:id",
    {
      config: { auth: "write" },
      schema: {
        tags,
        params: IdParams,
        body: PatchEscalationPolicyBody,
        response: { 200: EscalationPolicyResponse },
      },
    },
    async (req) =>
      patchEscalationPolicy({ db, actor: req.actor, id: policyId(req.params.id), input: req.body }),
  );
  r.delete(
    "/api/v1/escalation-policies/:id",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, response: { 200: EscalationPolicyResponse } },
    },
    async (req) => deleteEscalationPolicy({ db, actor: req.actor, id: policyId(req.params.id) }),
  );
  r.put(
    "/api/v1/slos/:id/escalation-policy",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description: "The SLO's own escalation policy, one of its team's; null = the team's policy.",
        params: IdParams,
        body: PutSloEscalationPolicyBody,
        response: { 200: z.object({ sloId: z.string(), policyId: z.string().nullable() }) },
      },
    },
    async (req) =>
      setSloEscalationPolicy({
        db,
        actor: req.actor,
        sloId: checkId("slo", req.params.id),
        policyId: req.body.policyId,
      }),
  );
  r.get(
    "/api/v1/users/me/notification-rules",
    { config: { auth: "read" }, schema: { tags, response: { 200: NotificationRulesResponse } } },
    async (req) => getNotificationRules({ db, actor: req.actor }),
  );
  r.put(
    "/api/v1/users/me/notification-rules",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description:
          "How you are reached when an escalation step names you: which channels, for which severities.",
        body: PutNotificationRulesBody,
        response: { 200: NotificationRulesResponse },
      },
    },
    async (req) => putNotificationRules({ db, actor: req.actor, input: req.body }),
  );
}
