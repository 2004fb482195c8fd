import type { PatchRegionBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import type { Actor } from "../../auth/actor";
import { assertAdmin } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findRegion, toRegion } from "./region-response";

/** Renames a region or marks it (not) production; regions are org-wide, so this is for org admins. */
export async function patchRegion(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PatchRegionBody>;
}) {
  const { db, actor, input } = deps;
  assertAdmin(actor, "change regions");
  const r = await findRegion(db, deps.slug);
  const u = await db.region.update({
    where: { id: r.id },
    data: {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.production !== undefined && { production: input.production }),
    },
  });
  await recordAudit(db, {
    actor,
    action: "update",
    entity: "region",
    entityId: r.id,
    before: toRegion(r),
    after: toRegion(u),
  });
  return toRegion(u);
}
