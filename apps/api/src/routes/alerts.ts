import { AlertResponse, ListAlertsQuery, SnoozeBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { actOnAlert, getAlert, listAlerts } from "../services/alerts";
import { IdParams, checkId } from "./params";

type AlertAction = Parameters<typeof actOnAlert>[0]["action"];

export function alertRoutes(
  app: FastifyInstance,
  deps: { db: Db; enqueue: Enqueue; now: () => number },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, enqueue } = deps;
  /** Ack and snooze: the same on-call action on the alert named in the path. */
  const act = (req: { actor: Actor | null; params: { id: string } }, action: AlertAction) =>
    actOnAlert({
      db,
      enqueue,
      actor: req.actor,
      id: checkId("alert", req.params.id),
      action,
      nowMs: deps.now(),
    });
  r.get(
    "/api/v1/alerts",
    {
      config: { auth: "read" },
      schema: { tags: ["alerts"], querystring: ListAlertsQuery, response: { 200: z.array(AlertResponse) } },
    },
    async (req) => listAlerts({ db, query: req.query }),
  );
  r.get(
    "/api/v1/alerts/:id",
    {
      config: { auth: "read" },
      schema: { tags: ["alerts"], params: IdParams, response: { 200: AlertResponse } },
    },
    async (req) => getAlert({ db, id: checkId("alert", req.params.id) }),
  );
  r.post(
    "/api/v1/alerts/:id/ack",
    {
      config: { auth: "write" },
      schema: { tags: ["alerts"], params: IdParams, response: { 200: AlertResponse } },
    },
    async (req) => act(req, { kind: "ack" }),
  );
  r.post(
    "/api/v1/alerts/:id/snooze",
    {
      config: { auth: "write" },
      schema: { tags: ["alerts"], params: IdParams, body: SnoozeBody, response: { 200: AlertResponse } },
    },
    async (req) => act(req, { kind: "snooze", minutes: req.body.minutes }),
  );
}
