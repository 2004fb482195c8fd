import { ConflictError, ValidationError, parseEndpoint } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import type { Enqueue } from "@burnrate/jobs";
import { syncDefaultSlos } from "../default-slos";
import { findService } from "../services/find-service";
import { auditEndpoint } from "./endpoint-response";

/** Registers `METHOD /route` on a service; the service's default SLOs then cover it. */
export async function createEndpoint(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  service: string;
  endpoint: string;
}) {
  const { db, actor } = deps;
  const s = await findService(db, deps.service);
  assertCanWriteTeam(actor, s.teamId);
  const e = parseEndpoint(deps.endpoint);
  if (!e)
    throw new ValidationError(
      `body field 'endpoint': '${deps.endpoint}' is not 'METHOD /route' (e.g. 'GET /user/{id}')`,
      { field: "endpoint" },
    );
  const exists = await db.endpoint.findUnique({
    where: { serviceId_method_route: { serviceId: s.id, ...e } },
  });
  if (exists)
    throw new ConflictError(`endpoint '${e.method} ${e.route}' already exists on '${s.slug}'`, {
      id: exists.id,
    });
  const row = await db.endpoint.create({ data: { serviceId: s.id, ...e } });
  const out = await auditEndpoint(db, actor, "create", s, row);
  await syncDefaultSlos(deps, s.id);
  return out;
}
