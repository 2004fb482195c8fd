import { ConflictError, NotFoundError } from "@burnrate/contracts";
import { deleteSliStatements, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import type { Enqueue } from "@burnrate/jobs";
import { auditEndpoint } from "./endpoint-response";

/** An endpoint with explicit SLOs cannot be deleted: delete the SLOs first. Its rollups go with it. */
export async function deleteEndpoint(deps: { db: Db; actor: Actor | null; enqueue: Enqueue; id: string }) {
  const { db, actor } = deps;
  const e = await db.endpoint.findUnique({ where: { id: deps.id }, include: { service: true } });
  if (!e) throw new NotFoundError("endpoint", deps.id);
  assertCanWriteTeam(actor, e.service.teamId);
  const slos = await db.slo.count({ where: { endpointId: e.id, kind: "explicit" } });
  if (slos > 0)
    throw new ConflictError(`endpoint '${e.method} ${e.route}' has ${slos} SLO(s); delete them first`, {
      slos,
    });
  const derived = await db.slo.findMany({ where: { endpointId: e.id }, select: { id: true } });
  await db.$transaction([
    ...deleteSliStatements(
      db,
      derived.map((d) => d.id),
    ),
    db.slo.deleteMany({ where: { endpointId: e.id } }),
    // By service first: the primary key (service_id, minute, endpoint_id, …) finds the rows in each partition.
    db.$executeRawUnsafe(
      `DELETE FROM request_rollups WHERE service_id = $1::uuid AND endpoint_id = $2::uuid`,
      e.serviceId,
      e.id,
    ),
    db.$executeRawUnsafe(
      `DELETE FROM request_rollups_hourly WHERE service_id = $1::uuid AND endpoint_id = $2::uuid`,
      e.serviceId,
      e.id,
    ),
    db.endpoint.delete({ where: { id: e.id } }),
  ]);
  await auditEndpoint(db, actor, "delete", e.service, e);
}
