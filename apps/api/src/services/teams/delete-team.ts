import { ConflictError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanDeleteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findTeam } from "./find-team";
import { toTeamResponse } from "./team-response";

/** A team with services cannot be deleted: move or delete its services first. */
export async function deleteTeam(deps: { db: Db; actor: Actor | null; slug: string }): Promise<void> {
  const { db, actor } = deps;
  const team = await findTeam(db, deps.slug);
  assertCanDeleteTeam(actor);
  const services = await db.service.count({ where: { teamId: team.id } });
  if (services > 0)
    throw new ConflictError(
      `team '${team.slug}' still owns ${services} service(s); move or delete them first`,
      { services },
    );
  await db.team.delete({ where: { id: team.id } });
  await recordAudit(db, {
    actor,
    action: "delete",
    entity: "team",
    entityId: team.id,
    teamId: null,
    before: toTeamResponse(team),
  });
}
