import {
  PutSupportTicketsBody,
  PutSupportTicketsResponse,
  SupportTicketsQuery,
  SupportTicketsResponse,
  ValidationError,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  parseSupportTicketsCsv,
  putSupportTickets,
  supportTicketsReport,
} from "../services/support-tickets/support-tickets";

/** Customer support ticket counts per service and month (book §11.2.9): by API or CSV upload, and their trend. */
export async function supportTicketRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => number },
): Promise<void> {
  const { db } = deps;
  await app.register(async (scope) => {
    scope.addContentTypeParser("text/csv", { parseAs: "string" }, (_req, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    r.put(
      "/api/v1/support-tickets",
      {
        config: { auth: "write" },
        schema: {
          tags: ["reports"],
          description:
            "Support ticket counts of services by calendar month, from the ticket tool: each entry replaces its service × month. Counts per service, never per person. Editors of each service's team.",
          body: PutSupportTicketsBody,
          response: { 200: PutSupportTicketsResponse },
        },
      },
      async (req) => putSupportTickets({ db, actor: req.actor, input: req.body }),
    );
    r.post(
      "/api/v1/support-tickets/csv",
      {
        config: { auth: "write" },
        schema: {
          tags: ["reports"],
          description:
            "The same as a CSV upload (Content-Type: text/csv): a header line `service,month,count`, then one line per service × month. A bad line is a 400 naming its line and field.",
          response: { 200: PutSupportTicketsResponse },
          openapi: {
            requestBody: {
              description: "CSV: `service,month,count`, then one line per service × month.",
              content: { "text/csv": { schema: z.string().min(1) } },
            },
          },
        },
      },
      async (req) => {
        if (typeof req.body !== "string")
          throw new ValidationError("body: send the CSV as the request body (Content-Type: text/csv)", {
            field: "body",
          });
        return putSupportTickets({
          db,
          actor: req.actor,
          input: { entries: parseSupportTicketsCsv(req.body) },
        });
      },
    );
    r.get(
      "/api/v1/reports/support-tickets",
      {
        config: { auth: "read" },
        schema: {
          tags: ["reports"],
          description:
            "Book §11.2.9: support ticket counts per service and month over the last N months (UTC), each month's growth rate over the one before and the average growth rate, per service and over all of them.",
          querystring: SupportTicketsQuery,
          response: { 200: SupportTicketsResponse },
        },
      },
      async (req) => supportTicketsReport({ db, query: req.query, nowMs: deps.now() }),
    );
  });
}
