import { NotFoundError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";

/** The team with this slug, or a 404. */
export async function findTeam(db: Db, slug: string) {
  const team = await db.team.findUnique({ where: { slug } });
  if (!team) throw new NotFoundError("team", slug);
  return team;
}
