import { ConflictError, ForbiddenError, type CreateTeamBody, type TeamResponse } from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import type { Actor } from "../plugins/auth";
import { recordAudit } from "./audit";

type TeamRow = { id: string; slug: string; name: string; slackChannel: string | null; createdAt: Date };
export const toTeamResponse = (t: TeamRow): TeamResponse => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  slackChannel: t.slackChannel,
  createdAt: t.createdAt.toISOString(),
});

export async function createTeam(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateTeamBody;
}): Promise<TeamResponse> {
  const { db, actor, input } = deps;
  if (actor?.kind === "user" && !actor.isAdmin) throw new ForbiddenError("only org admins create teams");
  const channel = input.slackChannel
    ? input.slackChannel.startsWith("#")
      ? input.slackChannel
      : `#${input.slackChannel}`
    : null;
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

export async function listTeams(deps: { db: Db }): Promise<TeamResponse[]> {
  return (await deps.db.team.findMany({ orderBy: { slug: "asc" } })).map(toTeamResponse);
}
