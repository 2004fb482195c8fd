import type { PatchTeamBody, TeamResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findTeam } from "./find-team";
import { normaliseChannel, toTeamResponse } from "./team-response";

/** Renames a team or changes its Slack channel (null clears it); the team's editors may. */
export async function patchTeam(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PatchTeamBody>;
}): Promise<TeamResponse> {
  const { db, actor, input } = deps;
  const team = await findTeam(db, deps.slug);
  assertCanWriteTeam(actor, team.id);
  const channel =
    input.slackChannel === undefined
      ? undefined
      : input.slackChannel === null
        ? null
        : normaliseChannel(input.slackChannel);
  const updated = await db.team.update({
    where: { id: team.id },
    data: {
      ...(input.name !== undefined && { name: input.name }),
      ...(channel !== undefined && { slackChannel: channel }),
    },
  });
  await recordAudit(db, {
    actor,
    action: "update",
    entity: "team",
    entityId: team.id,
    teamId: team.id,
    before: toTeamResponse(team),
    after: toTeamResponse(updated),
  });
  return toTeamResponse(updated);
}
