import {
  CreateSloBody,
  CreateSloReviewBody,
  SloReviewResponse,
  SloReviewsResponse,
  TeamReviewsResponse,
  DeleteQuery,
  ListSlosQuery,
  PatchSloBody,
  SeriesQuery,
  SloResponse,
  SloSeriesResponse,
  SloStatusResponse,
  SloVersionResponse,
  StatusQuery,
} from "@burnrate/contracts";
import type { Db, SecretBox } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createSlo, deleteSlo, getSlo, listSloVersions, listSlos, patchSlo } from "../services/slos";
import { getSloSeries, getSloStatus } from "../services/status";
import { createSloReview, listSloReviews, teamReviews } from "../services/slo-reviews";
import { IdParams, NoContent, SlugParams, checkId } from "./params";

export function sloRoutes(
  app: FastifyInstance,
  deps: { db: Db; enqueue: Enqueue; now: () => number; secrets?: SecretBox },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, enqueue, secrets } = deps;
  r.post(
    "/api/v1/slos",
    {
      config: { auth: "write" },
      schema: { tags: ["slos"], body: CreateSloBody, response: { 201: SloResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await createSlo({ db, actor: req.actor, enqueue, input: req.body, secrets })),
  );
  r.get(
    "/api/v1/slos",
    {
      config: { auth: "read" },
      schema: { tags: ["slos"], querystring: ListSlosQuery, response: { 200: z.array(SloResponse) } },
    },
    async (req) => listSlos({ db, filter: req.query }),
  );
  r.get(
    "/api/v1/slos/:id",
    {
      config: { auth: "read" },
      schema: { tags: ["slos"], params: IdParams, response: { 200: SloResponse } },
    },
    async (req) => getSlo({ db, id: checkId("slo", req.params.id) }),
  );
  r.patch(
    "/api/v1/slos/:id",
    {
      config: { auth: "write" },
      schema: { tags: ["slos"], params: IdParams, body: PatchSloBody, response: { 200: SloResponse } },
    },
    async (req) =>
      patchSlo({
        db,
        actor: req.actor,
        enqueue,
        id: checkId("slo", req.params.id),
        input: req.body,
        secrets,
      }),
  );
  r.delete(
    "/api/v1/slos/:id",
    {
      config: { auth: "write" },
      schema: { tags: ["slos"], params: IdParams, querystring: DeleteQuery, response: NoContent },
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
    "/api/v1/slos/:id/versions",
    {
      config: { auth: "read" },
      schema: { tags: ["slos"], params: IdParams, response: { 200: z.array(SloVersionResponse) } },
    },
    async (req) => listSloVersions({ db, id: checkId("slo", req.params.id) }),
  );
  r.get(
    "/api/v1/slos/:id/reviews",
    {
      config: { auth: "read" },
      schema: {
        tags: ["slos"],
        params: IdParams,
        response: { 200: SloReviewsResponse },
        description: "the SLO's reviews, newest first, and when its next review is due",
      },
    },
    async (req) => listSloReviews({ db, id: checkId("slo", req.params.id), nowMs: deps.now() }),
  );
  r.post(
    "/api/v1/slos/:id/reviews",
    {
      config: { auth: "write" },
      schema: {
        tags: ["slos"],
        params: IdParams,
        body: CreateSloReviewBody,
        response: { 201: SloReviewResponse },
        description:
          "records a review of the SLO: keep, or tighten or loosen its objective (a new version with the review's reason)",
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await createSloReview({
          db,
          actor: req.actor,
          enqueue,
          id: checkId("slo", req.params.id),
          input: req.body,
          nowMs: deps.now(),
        }),
      ),
  );
  r.get(
    "/api/v1/teams/:slug/slo-reviews",
    {
      config: { auth: "read" },
      schema: {
        tags: ["slos"],
        params: SlugParams,
        response: { 200: TeamReviewsResponse },
        description: "the team's SLOs whose review is overdue or due in the next four weeks",
      },
    },
    async (req) => teamReviews({ db, team: req.params.slug, nowMs: deps.now() }),
  );
  r.get(
    "/api/v1/slos/:id/status",
    {
      config: { auth: "read" },
      schema: {
        tags: ["slos"],
        params: IdParams,
        querystring: StatusQuery,
        response: { 200: SloStatusResponse },
      },
    },
    async (req) =>
      getSloStatus({
        db,
        id: checkId("slo", req.params.id),
        region: req.query.region,
        at: req.query.at,
        nowMs: deps.now(),
      }),
  );
  r.get(
    "/api/v1/slos/:id/series",
    {
      config: { auth: "read" },
      schema: {
        tags: ["slos"],
        params: IdParams,
        querystring: SeriesQuery,
        response: { 200: SloSeriesResponse },
      },
    },
    async (req) =>
      getSloSeries({
        db,
        id: checkId("slo", req.params.id),
        region: req.query.region,
        from: req.query.from,
        to: req.query.to,
        step: req.query.step,
        nowMs: deps.now(),
      }),
  );
}
