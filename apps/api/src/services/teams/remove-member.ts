import { NotFoundError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findTeam } from "./find-team";

export async function removeMember(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  email: string;
}): Promise<void> {
  const { db, actor } = deps;
  const team = await findTeam(db, deps.slug);
  assertCanWriteTeam(actor, team.id);
  const user = await db.user.findUnique({ where: { email: deps.email.toLowerCase() } });
  const removed = user
    ? await db.teamMember.deleteMany({ where: { teamId: team.id, userId: user.id } })
    : { count: 0 };
  if (removed.count === 0) throw new NotFoundError("team member", deps.email);
  await recordAudit(db, {
    actor,
    action: "remove_member",
    entity: "team",
    entityId: team.id,
    teamId: team.id,
    before: { email: deps.email },
  });
}
