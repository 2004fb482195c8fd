import { ConflictError, type CreateTeamBody, type TeamResponse } from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanCreateTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { normaliseChannel, toTeamResponse } from "./team-response";

export async function createTeam(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateTeamBody;
}): Promise<TeamResponse> {
  const { db, actor, input } = deps;
  assertCanCreateTeam(actor);
  const channel = input.slackChannel ? normaliseChannel(input.slackChannel) : null;
  try {
    const team = await db.team.create({
      data: { slug: input.slug, name: input.name, slackChannel: channel },
    });
    await recordAudit(db, {
      actor,
      action: "create",
      entity: "team",
      entityId: team.id,
      teamId: team.id,
      after: toTeamResponse(team),
    });
    return toTeamResponse(team);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new ConflictError(`team '${input.slug}' already exists`, { field: "slug" });
    throw e;
  }
}
