import type { TeamResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { toTeamResponse } from "./team-response";

export async function listTeams(deps: { db: Db }): Promise<TeamResponse[]> {
  return (await deps.db.team.findMany({ orderBy: { slug: "asc" } })).map(toTeamResponse);
}
