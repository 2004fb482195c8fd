import type { TeamResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { findTeam } from "./find-team";
import { toTeamResponse } from "./team-response";

export async function getTeam(deps: { db: Db; slug: string }): Promise<TeamResponse> {
  return toTeamResponse(await findTeam(deps.db, deps.slug));
}
