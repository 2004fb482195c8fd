import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type CreateTeamBody,
  type PatchTeamBody,
  type PutMemberBody,
  type TeamResponse,
} from "@burnrate/contracts";
import type { z } from "zod";
import { Prisma, type Db } from "@burnrate/db";
import type { Actor } from "../auth/actor";
import { assertCanWriteTeam, isAdmin } from "../auth/permissions";
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
  if (actor?.kind === "token" && actor.teamId !== null)
    throw new ForbiddenError("a team-bound token cannot create teams");
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

/** The team with this slug, or a 404. */
export async function findTeam(db: Db, slug: string) {
  const team = await db.team.findUnique({ where: { slug } });
  if (!team) throw new NotFoundError("team", slug);
  return team;
}

export async function getTeam(deps: { db: Db; slug: string }): Promise<TeamResponse> {
  return toTeamResponse(await findTeam(deps.db, deps.slug));
}

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

/** A team with services cannot be deleted: move or delete its services first. */
export async function deleteTeam(deps: { db: Db; actor: Actor | null; slug: string }): Promise<void> {
  const { db, actor } = deps;
  const team = await findTeam(db, deps.slug);
  if (!isAdmin(actor)) throw new ForbiddenError("only org admins delete teams");
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

export async function listMembers(deps: { db: Db; slug: string }) {
  const team = await findTeam(deps.db, deps.slug);
  const rows = await deps.db.teamMember.findMany({
    where: { teamId: team.id },
    include: { user: true },
    orderBy: { user: { email: "asc" } },
  });
  return rows.map((m) => ({ email: m.user.email, name: m.user.name, role: m.role as "editor" | "viewer" }));
}

export async function putMember(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PutMemberBody>;
}) {
  const { db, actor, input } = deps;
  const team = await findTeam(db, deps.slug);
  assertCanWriteTeam(actor, team.id);
  const user = await db.user.findUnique({ where: { email: input.email.toLowerCase() } });
  if (!user)
    throw new ValidationError(`body field 'email': no user '${input.email}'; an admin creates users first`, {
      field: "email",
    });
  await db.teamMember.upsert({
    where: { teamId_userId: { teamId: team.id, userId: user.id } },
    create: { teamId: team.id, userId: user.id, role: input.role },
    update: { role: input.role },
  });
  await recordAudit(db, {
    actor,
    action: "put_member",
    entity: "team",
    entityId: team.id,
    teamId: team.id,
    after: { email: user.email, role: input.role },
  });
  return { email: user.email, name: user.name, role: input.role };
}

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

export function normaliseChannel(c: string): string {
  return c.startsWith("#") ? c : `#${c}`;
}
