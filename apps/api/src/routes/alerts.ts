import { AlertResponse, ListAlertsQuery, SnoozeBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actOnAlert, getAlert, listAlerts } from "../services/alerts";
import { IdParams, checkId } from "./slos";

export function alertRoutes(
  app: FastifyInstance,
  deps: { db: Db; enqueue: Enqueue; now: () => number },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, enqueue } = deps;
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
    async (req) =>
      actOnAlert({
        db,
        enqueue,
        actor: req.actor,
        id: checkId("alert", req.params.id),
        action: { kind: "ack" },
        nowMs: deps.now(),
      }),
  );
  r.post(
    "/api/v1/alerts/:id/snooze",
    {
      config: { auth: "write" },
      schema: { tags: ["alerts"], params: IdParams, body: SnoozeBody, response: { 200: AlertResponse } },
    },
    async (req) =>
      actOnAlert({
        db,
        enqueue,
        actor: req.actor,
        id: checkId("alert", req.params.id),
        action: { kind: "snooze", minutes: req.body.minutes },
        nowMs: deps.now(),
      }),
  );
}
