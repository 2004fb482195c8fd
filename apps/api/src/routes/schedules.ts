import {
  AcceptSwapBody,
  CreateOncallOverrideBody,
  CreateScheduleBody,
  CreateSwapBody,
  DeclineSwapBody,
  DispatchQuery,
  DispatchResponse,
  FeedTokenQuery,
  FeedUrlResponse,
  ListOncallOverridesQuery,
  ListSchedulesQuery,
  OncallQuery,
  OncallResponse,
  OncallOverrideResponse,
  PatchScheduleBody,
  ScheduleResponse,
  ShiftsQuery,
  ShiftsResponse,
  SwapResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createSchedule } from "../services/schedules/create-schedule";
import { dispatchOncall } from "../services/schedules/dispatch";
import { personFeed, rotatePersonFeed, rotateScheduleFeed, scheduleFeed } from "../services/schedules/feeds";
import {
  deleteSchedule,
  getSchedule,
  listSchedules,
  patchSchedule,
} from "../services/schedules/manage-schedules";
import { scheduleShifts, whoIsOnCall } from "../services/schedules/oncall";
import { createOverride, deleteOverride, listOverrides } from "../services/schedules/overrides";
import { acceptSwap, declineSwap, listSwaps, requestSwap } from "../services/schedules/swaps";
import { IdParams, checkId } from "./params";

const OverrideParams = z.object({ id: z.string(), overrideId: z.string() });
const SwapParams = z.object({ id: z.string(), swapId: z.string() });
const CALENDAR = "text/calendar; charset=utf-8";
/** A feed is iCalendar text; a token that is not the feed's is a 401. */
const FEED_DOC = {
  responses: {
    200: {
      description: "The iCalendar feed (RFC 5545).",
      content: { "text/calendar": { schema: z.string() } },
    },
  },
  errors: [401],
};
const tags = ["on-call"];

export function scheduleRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const scheduleId = (id: string) => checkId("schedule", id);

  r.post(
    "/api/v1/schedules",
    {
      config: { auth: "write" },
      schema: { tags, body: CreateScheduleBody, response: { 201: ScheduleResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await createSchedule({ db, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/schedules",
    {
      config: { auth: "read" },
      schema: { tags, querystring: ListSchedulesQuery, response: { 200: z.array(ScheduleResponse) } },
    },
    async (req) => listSchedules({ db, ...req.query }),
  );
  r.get(
    "/api/v1/schedules/:id",
    { config: { auth: "read" }, schema: { tags, params: IdParams, response: { 200: ScheduleResponse } } },
    async (req) => getSchedule({ db, id: scheduleId(req.params.id) }),
  );
  r.patch(
    "/api/v1/schedules/:id",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, body: PatchScheduleBody, response: { 200: ScheduleResponse } },
    },
    async (req) => patchSchedule({ db, actor: req.actor, id: scheduleId(req.params.id), input: req.body }),
  );
  r.delete(
    "/api/v1/schedules/:id",
    { config: { auth: "write" }, schema: { tags, params: IdParams, response: { 200: ScheduleResponse } } },
    async (req) => deleteSchedule({ db, actor: req.actor, id: scheduleId(req.params.id) }),
  );
  r.get(
    "/api/v1/schedules/:id/oncall",
    {
      config: { auth: "read" },
      schema: { tags, params: IdParams, querystring: OncallQuery, response: { 200: OncallResponse } },
    },
    async (req) =>
      whoIsOnCall({ db, id: scheduleId(req.params.id), atMs: req.query.at?.getTime() ?? deps.now() }),
  );
  r.get(
    "/api/v1/oncall",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description:
          "Who gets an alert of this team (or service) in this region now: the team's schedule in its hours, else the region's.",
        querystring: DispatchQuery,
        response: { 200: DispatchResponse },
      },
    },
    async (req) =>
      dispatchOncall({
        db,
        team: req.query.team,
        service: req.query.service,
        region: req.query.region,
        atMs: req.query.at?.getTime() ?? deps.now(),
      }),
  );
  r.get(
    "/api/v1/schedules/:id/shifts",
    {
      config: { auth: "read" },
      schema: { tags, params: IdParams, querystring: ShiftsQuery, response: { 200: ShiftsResponse } },
    },
    async (req) =>
      scheduleShifts({
        db,
        id: scheduleId(req.params.id),
        fromMs: req.query.from?.getTime(),
        toMs: req.query.to?.getTime(),
        nowMs: deps.now(),
      }),
  );
  r.post(
    "/api/v1/schedules/:id/overrides",
    {
      config: { auth: "write" },
      schema: {
        tags,
        params: IdParams,
        body: CreateOncallOverrideBody,
        response: { 201: OncallOverrideResponse },
      },
    },
    async (req, reply) =>
      reply.code(201).send(
        await createOverride({
          db,
          actor: req.actor,
          scheduleId: scheduleId(req.params.id),
          input: req.body,
          nowMs: deps.now(),
        }),
      ),
  );
  r.get(
    "/api/v1/schedules/:id/overrides",
    {
      config: { auth: "read" },
      schema: {
        tags,
        params: IdParams,
        querystring: ListOncallOverridesQuery,
        response: { 200: z.array(OncallOverrideResponse) },
      },
    },
    async (req) =>
      listOverrides({
        db,
        scheduleId: scheduleId(req.params.id),
        fromMs: req.query.from?.getTime() ?? deps.now(),
      }),
  );
  r.delete(
    "/api/v1/schedules/:id/overrides/:overrideId",
    {
      config: { auth: "write" },
      schema: { tags, params: OverrideParams, response: { 200: OncallOverrideResponse } },
    },
    async (req) =>
      deleteOverride({
        db,
        actor: req.actor,
        scheduleId: scheduleId(req.params.id),
        overrideId: checkId("override", req.params.overrideId),
      }),
  );
  r.post(
    "/api/v1/schedules/:id/swaps",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, body: CreateSwapBody, response: { 201: SwapResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(
        await requestSwap({
          db,
          actor: req.actor,
          scheduleId: scheduleId(req.params.id),
          input: req.body,
          nowMs: deps.now(),
        }),
      ),
  );
  r.get(
    "/api/v1/schedules/:id/swaps",
    {
      config: { auth: "read" },
      schema: { tags, params: IdParams, response: { 200: z.array(SwapResponse) } },
    },
    async (req) => listSwaps({ db, scheduleId: scheduleId(req.params.id), nowMs: deps.now() }),
  );
  r.post(
    "/api/v1/schedules/:id/swaps/:swapId/accept",
    {
      config: { auth: "write" },
      schema: { tags, params: SwapParams, body: AcceptSwapBody, response: { 200: SwapResponse } },
    },
    async (req) =>
      acceptSwap({
        db,
        actor: req.actor,
        scheduleId: scheduleId(req.params.id),
        swapId: checkId("swap", req.params.swapId),
        input: req.body ?? {},
        nowMs: deps.now(),
      }),
  );
  r.post(
    "/api/v1/schedules/:id/swaps/:swapId/decline",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description: "The colleague a swap asks by name says no: the swap is closed and changes no shift.",
        params: SwapParams,
        body: DeclineSwapBody,
        response: { 200: SwapResponse },
      },
    },
    async (req) =>
      declineSwap({
        db,
        actor: req.actor,
        scheduleId: scheduleId(req.params.id),
        swapId: checkId("swap", req.params.swapId),
        input: req.body ?? {},
        nowMs: deps.now(),
      }),
  );
  r.post(
    "/api/v1/schedules/:id/ical-token",
    { config: { auth: "write" }, schema: { tags, params: IdParams, response: { 200: FeedUrlResponse } } },
    async (req) => rotateScheduleFeed({ db, actor: req.actor, id: scheduleId(req.params.id) }),
  );
  r.post(
    "/api/v1/users/me/ical-token",
    { config: { auth: "read" }, schema: { tags, response: { 200: FeedUrlResponse } } },
    async (req) => rotatePersonFeed({ db, actor: req.actor }),
  );
  // Calendar apps fetch feeds with no session: the token in the URL is the credential, checked by the service.
  r.get(
    "/api/v1/schedules/:id/ical",
    {
      config: { auth: "public" },
      schema: { tags, params: IdParams, querystring: FeedTokenQuery, openapi: FEED_DOC },
    },
    async (req, reply) =>
      reply.type(CALENDAR).send(
        await scheduleFeed({
          db,
          id: scheduleId(req.params.id),
          token: req.query.token,
          nowMs: deps.now(),
        }),
      ),
  );
  r.get(
    "/api/v1/users/:id/ical",
    {
      config: { auth: "public" },
      schema: { tags, params: IdParams, querystring: FeedTokenQuery, openapi: FEED_DOC },
    },
    async (req, reply) =>
      reply.type(CALENDAR).send(
        await personFeed({
          db,
          userId: checkId("user", req.params.id),
          token: req.query.token,
          nowMs: deps.now(),
        }),
      ),
  );
}
