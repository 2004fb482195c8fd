import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type CreateUserGroupBody,
  type PatchUserGroupBody,
  type UserGroupResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteOwner } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { usersByEmail } from "../schedules/schedule-model";

const include = {
  team: true,
  members: { include: { user: true } },
} as const;

async function loadGroupRow(db: Db, id: string) {
  const row = await db.userGroup.findUnique({ where: { id }, include });
  if (!row) throw new NotFoundError("user group", id);
  return row;
}
type GroupRow = Awaited<ReturnType<typeof loadGroupRow>>;

const ORG_WIDE_REFUSAL = "only org admins change an org-wide user group: give 'team' for a team's own";

function toResponse(g: GroupRow): UserGroupResponse {
  return {
    id: g.id,
    name: g.name,
    team: g.team?.slug ?? null,
    members: g.members
      .map((m) => ({ email: m.user.email, name: m.user.name }))
      .sort((a, b) => a.email.localeCompare(b.email)),
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}

export async function createUserGroup(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateUserGroupBody;
}): Promise<UserGroupResponse> {
  const { db, input } = deps;
  let teamId: string | null = null;
  if (input.team) {
    const team = await db.team.findUnique({ where: { slug: input.team } });
    if (!team)
      throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
    teamId = team.id;
  }
  assertCanWriteOwner(deps.actor, teamId, ORG_WIDE_REFUSAL);
  const users = await usersByEmail(db, input.members, "members");
  const created = await db.userGroup.create({
    data: { name: input.name, teamId, members: { create: users.map((u) => ({ userId: u.id })) } },
    include,
  });
  const out = toResponse(created);
  await recordAudit(db, {
    actor: deps.actor,
    action: "create",
    entity: "user_group",
    entityId: created.id,
    teamId,
    after: out,
  });
  return out;
}

export async function listUserGroups(deps: { db: Db; team?: string }): Promise<UserGroupResponse[]> {
  let where = {};
  if (deps.team) {
    const team = await deps.db.team.findUnique({ where: { slug: deps.team } });
    if (!team) throw new NotFoundError("team", deps.team);
    where = { OR: [{ teamId: team.id }, { teamId: null }] };
  }
  const rows = await deps.db.userGroup.findMany({
    where,
    include,
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  return rows.map(toResponse);
}

export async function getUserGroup(deps: { db: Db; id: string }): Promise<UserGroupResponse> {
  return toResponse(await loadGroupRow(deps.db, deps.id));
}

export async function patchUserGroup(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: PatchUserGroupBody;
}): Promise<UserGroupResponse> {
  const { db, input } = deps;
  const row = await loadGroupRow(db, deps.id);
  assertCanWriteOwner(deps.actor, row.teamId, ORG_WIDE_REFUSAL);
  const users = input.members ? await usersByEmail(db, input.members, "members") : null;
  await db.$transaction(async (tx) => {
    await tx.userGroup.update({
      where: { id: row.id },
      data: { ...(input.name !== undefined ? { name: input.name } : {}), updatedAt: new Date() },
    });
    if (users) {
      await tx.userGroupMember.deleteMany({ where: { groupId: row.id } });
      await tx.userGroupMember.createMany({ data: users.map((u) => ({ groupId: row.id, userId: u.id })) });
    }
  });
  const out = toResponse(await loadGroupRow(db, row.id));
  await recordAudit(db, {
    actor: deps.actor,
    action: "update",
    entity: "user_group",
    entityId: row.id,
    teamId: row.teamId,
    before: toResponse(row),
    after: out,
  });
  return out;
}

/** A group an escalation step pages cannot be deleted: the step would page nobody (409 naming the policy). */
export async function deleteUserGroup(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
}): Promise<UserGroupResponse> {
  const { db } = deps;
  const row = await loadGroupRow(db, deps.id);
  assertCanWriteOwner(deps.actor, row.teamId, ORG_WIDE_REFUSAL);
  const step = await db.escalationPolicyStep.findFirst({
    where: { target: { path: ["group"], equals: row.id } },
    include: { policy: true },
  });
  if (step)
    throw new ConflictError(
      `user group '${row.name}' is a target of escalation policy '${step.policy.name}': change that step first`,
    );
  await db.userGroup.delete({ where: { id: row.id } });
  const out = toResponse(row);
  await recordAudit(db, {
    actor: deps.actor,
    action: "delete",
    entity: "user_group",
    entityId: row.id,
    teamId: row.teamId,
    before: out,
  });
  return out;
}
