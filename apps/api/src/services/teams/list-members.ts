import type { Db } from "@burnrate/db";
import { findTeam } from "./find-team";

export async function listMembers(deps: { db: Db; slug: string }) {
  const team = await findTeam(deps.db, deps.slug);
  const rows = await deps.db.teamMember.findMany({
    where: { teamId: team.id },
    include: { user: true },
    orderBy: { user: { email: "asc" } },
  });
  return rows.map((m) => ({ email: m.user.email, name: m.user.name, role: m.role as "editor" | "viewer" }));
}
