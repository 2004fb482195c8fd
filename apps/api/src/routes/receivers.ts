import {
  CreateReceiverBody,
  CreatedReceiverResponse,
  ListReceiversQuery,
  PatchReceiverBody,
  ReceiverDeliveriesQuery,
  ReceiverDeliveryResponse,
  ReceiverResponse,
} from "@burnrate/contracts";
import type { Db, SecretBox } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createReceiver,
  deleteReceiver,
  getReceiver,
  listReceiverDeliveries,
  listReceivers,
  patchReceiver,
} from "../services/receivers/receivers";
import { IdParams, checkId } from "./params";

const tags = ["on-call"];

export function receiverRoutes(app: FastifyInstance, deps: { db: Db; secrets: SecretBox }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, secrets } = deps;
  const receiverId = (id: string) => checkId("receiver", id);

  r.post(
    "/api/v1/receivers",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description:
          "A team's alerts also go to Alertmanager, PagerDuty, Opsgenie or a signed webhook, for the severities it names; a webhook also gets the team's policy.enacted and slo.changed events. `events` limits the event types it takes (default: all). The secret is write-only; a webhook's signing secret is generated and returned once, here.",
        body: CreateReceiverBody,
        response: { 201: CreatedReceiverResponse },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await createReceiver({ db, secrets, actor: req.actor, input: req.body })),
  );
  r.get(
    "/api/v1/receivers",
    {
      config: { auth: "read" },
      schema: { tags, querystring: ListReceiversQuery, response: { 200: z.array(ReceiverResponse) } },
    },
    async (req) => listReceivers({ db, team: req.query.team }),
  );
  r.get(
    "/api/v1/receivers/:id",
    { config: { auth: "read" }, schema: { tags, params: IdParams, response: { 200: ReceiverResponse } } },
    async (req) => getReceiver({ db, id: receiverId(req.params.id) }),
  );
  r.get(
    "/api/v1/receivers/:id/deliveries",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description:
          "The receiver's most recent deliveries, newest first: the event's type and id, the calls made (attempts), the last call's HTTP status or error, and when it was delivered.",
        params: IdParams,
        querystring: ReceiverDeliveriesQuery,
        response: { 200: z.array(ReceiverDeliveryResponse) },
      },
    },
    async (req) => listReceiverDeliveries({ db, id: receiverId(req.params.id), limit: req.query.limit }),
  );
  r.patch(
    "/api/v1/receivers/:id",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description:
          "Renames a receiver, changes its URL, severities or secret (write-only: the answer shows its last 4 characters), or disables it (a disabled receiver is sent nothing).",
        params: IdParams,
        body: PatchReceiverBody,
        response: { 200: ReceiverResponse },
      },
    },
    async (req) =>
      patchReceiver({ db, secrets, actor: req.actor, id: receiverId(req.params.id), input: req.body }),
  );
  r.delete(
    "/api/v1/receivers/:id",
    { config: { auth: "write" }, schema: { tags, params: IdParams, response: { 200: ReceiverResponse } } },
    async (req) => deleteReceiver({ db, actor: req.actor, id: receiverId(req.params.id) }),
  );
}
