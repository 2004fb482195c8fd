import { AuditEntry, AuditQuery } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { listAudit } from "../services/audit";

/** The audit log: who changed what, when, before and after. */
export function auditRoutes(app: FastifyInstance, deps: { db: Db }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.get(
    "/api/v1/audit",
    {
      config: { auth: "read" },
      schema: { tags: ["audit"], querystring: AuditQuery, response: { 200: z.array(AuditEntry) } },
    },
    async (req) => listAudit({ db, query: req.query }),
  );
}
