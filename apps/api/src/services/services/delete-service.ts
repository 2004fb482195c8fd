import { ConflictError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { findServiceRow } from "./find-service";
import { auditService } from "./service-response";

/** A service with SLOs cannot be deleted (their history would be orphaned): delete the SLOs first. */
export async function deleteService(deps: { db: Db; actor: Actor | null; slug: string }): Promise<void> {
  const { db, actor } = deps;
  const s = await findServiceRow(db, deps.slug);
  assertCanWriteTeam(actor, s.teamId);
  const slos = await db.slo.count({ where: { serviceId: s.id, kind: "explicit" } });
  if (slos > 0)
    throw new ConflictError(`service '${s.slug}' still has ${slos} SLO(s); delete them first`, { slos });
  await db.$transaction([
    db.slo.deleteMany({ where: { serviceId: s.id } }), // derived default SLOs go with the service
    db.$executeRawUnsafe(`DELETE FROM request_rollups WHERE service_id = $1::uuid`, s.id),
    db.$executeRawUnsafe(`DELETE FROM request_rollups_hourly WHERE service_id = $1::uuid`, s.id),
    db.service.delete({ where: { id: s.id } }),
  ]);
  await auditService(db, actor, "delete", { before: s });
}
