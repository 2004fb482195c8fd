import { ConflictError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertAdmin } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findRegion, toRegion } from "./region-response";

/** A region that has data cannot be deleted (SLIs and graphs would lose it). */
export async function deleteRegion(deps: { db: Db; actor: Actor | null; slug: string }) {
  const { db, actor } = deps;
  assertAdmin(actor, "delete regions");
  const r = await findRegion(db, deps.slug);
  const [rows] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT ((SELECT count(*) FROM (SELECT 1 FROM request_rollups WHERE region_id = $1::uuid LIMIT 1) a)
           + (SELECT count(*) FROM (SELECT 1 FROM request_rollups_hourly WHERE region_id = $1::uuid LIMIT 1) b))::int AS n`,
    r.id,
  );
  if ((rows?.n ?? 0) > 0)
    throw new ConflictError(
      `region '${r.slug}' has request data; it cannot be deleted while that data is kept`,
    );
  await db.region.delete({ where: { id: r.id } });
  await recordAudit(db, { actor, action: "delete", entity: "region", entityId: r.id, before: toRegion(r) });
}
