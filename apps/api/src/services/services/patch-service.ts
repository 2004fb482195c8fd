import {
  ValidationError,
  expandStatuses,
  type PatchServiceBody,
  type ServiceResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { findServiceRow } from "./find-service";
import { SERVICE_INCLUDE, auditService } from "./service-response";

export async function patchService(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PatchServiceBody>;
}): Promise<ServiceResponse> {
  const { db, actor, input } = deps;
  const current = await findServiceRow(db, deps.slug);
  assertCanWriteTeam(actor, current.teamId);
  let teamId = current.teamId;
  if (input.team !== undefined && input.team !== current.team.slug) {
    const team = await db.team.findUnique({ where: { slug: input.team } });
    if (!team)
      throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
    assertCanWriteTeam(actor, team.id); // moving a service needs write access to both teams
    teamId = team.id;
  }
  const updated = await db.service.update({
    where: { id: current.id },
    data: {
      teamId,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.runbookUrl !== undefined && { runbookUrl: input.runbookUrl }),
      ...(input.tier !== undefined && { tier: input.tier }),
      ...(input.failureStatuses !== undefined && { failureStatuses: expandStatuses(input.failureStatuses) }),
    },
    include: SERVICE_INCLUDE,
  });
  return auditService(db, actor, "update", { before: current, after: updated });
}
