import type { Enqueue } from "@burnrate/jobs";
import {
  CloseEnactmentBody,
  CreateOverrideBody,
  EnactmentResponse,
  EnactmentsQuery,
  ManualEnactBody,
  OverrideResponse,
  PolicyDryRunBody,
  PolicyDryRunResponse,
  PolicyResponse,
  PolicyVersionResponse,
  PrioritiesResponse,
  PutPolicyBody,
  PutPrioritiesBody,
  ReleaseGateQuery,
  ReleaseGateResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import {
  closeEnactment,
  enactManually,
  getPolicy,
  listEnactments,
  listPolicyVersions,
  putPolicy,
} from "../services/policy";
import { dryRunPolicy } from "../services/policy-dry-run";
import { createOverride, listPriorities, putPriorities, releaseGate } from "../services/release-gate";
import { SlugParams } from "./params";

/** Error budget policies, their enactments, the release gate for CI/CD, and incident priorities. */
export function policyRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => number; enqueue: Enqueue },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["policy"];
  /** What a change hands its service besides the body's fields (which it never overrides): db, caller, time. */
  const writer = (req: { actor: Actor | null }) => ({
    db,
    actor: req.actor,
    nowMs: deps.now(),
    enqueue: deps.enqueue,
  });
  r.get(
    "/api/v1/teams/:slug/policy",
    { config: { auth: "read" }, schema: { tags, params: SlugParams, response: { 200: PolicyResponse } } },
    async (req) => getPolicy({ db, team: req.params.slug }),
  );
  r.put(
    "/api/v1/teams/:slug/policy",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: PutPolicyBody, response: { 200: PolicyResponse } },
    },
    async (req) =>
      putPolicy({ db, actor: req.actor, team: req.params.slug, input: req.body, enqueue: deps.enqueue }),
  );
  r.post(
    "/api/v1/teams/:slug/policy/dry-run",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description:
          "Which of the team's SLO × regions meet these conditions now; nothing is saved or enacted.",
        params: SlugParams,
        body: PolicyDryRunBody,
        response: { 200: PolicyDryRunResponse },
      },
    },
    async (req) => dryRunPolicy({ db, team: req.params.slug, input: req.body, nowMs: deps.now() }),
  );
  r.get(
    "/api/v1/teams/:slug/policy/versions",
    {
      config: { auth: "read" },
      schema: { tags, params: SlugParams, response: { 200: z.array(PolicyVersionResponse) } },
    },
    async (req) => listPolicyVersions({ db, team: req.params.slug }),
  );
  r.get(
    "/api/v1/teams/:slug/policy/enactments",
    {
      config: { auth: "read" },
      schema: {
        tags,
        params: SlugParams,
        querystring: EnactmentsQuery,
        response: { 200: z.array(EnactmentResponse) },
      },
    },
    async (req) =>
      listEnactments({
        db,
        team: req.params.slug,
        open: req.query.open === undefined ? undefined : req.query.open === "true",
        limit: req.query.limit,
      }),
  );
  r.post(
    "/api/v1/teams/:slug/policy/enactments",
    {
      config: { auth: "write" },
      schema: { tags, params: SlugParams, body: ManualEnactBody, response: { 201: EnactmentResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await enactManually({ ...req.body, ...writer(req), team: req.params.slug })),
  );
  r.post(
    "/api/v1/teams/:slug/policy/enactments/:id/close",
    {
      config: { auth: "write" },
      schema: {
        tags,
        params: z.object({ slug: z.string(), id: z.string() }),
        body: CloseEnactmentBody,
        response: { 200: EnactmentResponse },
      },
    },
    async (req) => closeEnactment({ ...req.body, ...writer(req), team: req.params.slug, id: req.params.id }),
  );
  r.get(
    "/api/v1/release-gate",
    {
      config: { auth: "read" },
      schema: {
        tags,
        summary: "May this service be deployed to this region now?",
        querystring: ReleaseGateQuery,
        response: { 200: ReleaseGateResponse },
      },
    },
    async (req) =>
      releaseGate({ db, service: req.query.service, region: req.query.region, nowMs: deps.now() }),
  );
  r.post(
    "/api/v1/release-gate/overrides",
    {
      config: { auth: "write" },
      schema: { tags, body: CreateOverrideBody, response: { 201: OverrideResponse } },
    },
    async (req, reply) => reply.code(201).send(await createOverride({ ...req.body, ...writer(req) })),
  );
  r.get(
    "/api/v1/settings/priorities",
    { config: { auth: "read" }, schema: { tags, response: { 200: PrioritiesResponse } } },
    async () => listPriorities({ db }),
  );
  r.put(
    "/api/v1/settings/priorities",
    {
      config: { auth: "admin" },
      schema: { tags, body: PutPrioritiesBody, response: { 200: PrioritiesResponse } },
    },
    async (req) => putPriorities({ db, actor: req.actor, priorities: req.body.priorities }),
  );
}
