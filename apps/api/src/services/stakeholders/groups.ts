import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type CreateStakeholderGroupBody,
  type PatchStakeholderGroupBody,
  type StakeholderGroupResponse,
} from "@burnrate/contracts";
import { isUniqueViolation, type Db, type Prisma } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertAdmin } from "../../auth/permissions";
import { recordAudit } from "../audit";

const include = { ring: true } as const;
type Row = Prisma.StakeholderGroupGetPayload<{ include: typeof include }>;
type UserRow = { id: string; name: string; email: string };

const labels = (xs: string[]) => [...new Set(xs.map((x) => x.trim()))];
const channels = (xs: string[]) => [...new Set(xs.map((c) => c.replace(/^#/, "")))];
const emails = (xs: string[]) => [...new Set(xs.map((e) => e.toLowerCase()))];

function toGroupResponse(g: Row, users: UserRow[]): StakeholderGroupResponse {
  const byId = new Map(users.map((u) => [u.id, u]));
  return {
    id: g.id,
    ring: { number: g.ring.number, name: g.ring.name },
    name: g.name,
    geographies: g.geographies,
    products: g.products,
    emails: g.emails,
    slackChannels: g.slackChannels,
    users: g.userIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])),
  };
}

const userSelect = { id: true, name: true, email: true } as const;

/** The users named by email, or a 400 naming the first unknown one. */
async function usersByEmail(db: Db, list: string[]): Promise<UserRow[]> {
  const wanted = emails(list);
  const rows = await db.user.findMany({ where: { email: { in: wanted } }, select: userSelect });
  const missing = wanted.find((e) => !rows.some((u) => u.email === e));
  if (missing)
    throw new ValidationError(`body field 'users': no Burnrate user has the email ${missing}`, {
      field: "users",
    });
  return wanted.map((e) => rows.find((u) => u.email === e)!);
}

async function usersOf(db: Db, rows: Row[]): Promise<UserRow[]> {
  const ids = [...new Set(rows.flatMap((r) => r.userIds))];
  return ids.length ? db.user.findMany({ where: { id: { in: ids } }, select: userSelect }) : [];
}

const nameTaken = (name: string | undefined) =>
  new ConflictError(`body field 'name': the ring already has a group named ${name}`, { field: "name" });

/** Adds a group to a ring's targeting matrix, with its subscribers. Org admins set stakeholders up. */
export async function createGroup(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateStakeholderGroupBody;
}): Promise<StakeholderGroupResponse> {
  assertAdmin(deps.actor, "set up stakeholder groups");
  const { db, input } = deps;
  const ring = await db.stakeholderRing.findUnique({ where: { number: input.ring } });
  if (!ring)
    throw new ValidationError(`body field 'ring': ring ${input.ring} does not exist`, { field: "ring" });
  const users = await usersByEmail(db, input.users);
  try {
    const row = await db.stakeholderGroup.create({
      data: {
        ringId: ring.id,
        name: input.name,
        geographies: labels(input.geographies),
        products: labels(input.products),
        emails: emails(input.emails),
        slackChannels: channels(input.slackChannels),
        userIds: users.map((u) => u.id),
      },
      include,
    });
    const out = toGroupResponse(row, users);
    await recordAudit(db, {
      actor: deps.actor,
      action: "create",
      entity: "stakeholder_group",
      entityId: row.id,
      after: out,
    });
    return out;
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

export async function listGroups(deps: { db: Db }): Promise<StakeholderGroupResponse[]> {
  const rows = await deps.db.stakeholderGroup.findMany({
    include,
    orderBy: [{ ring: { number: "asc" } }, { name: "asc" }],
  });
  const users = await usersOf(deps.db, rows);
  return rows.map((r) => toGroupResponse(r, users));
}

export async function patchGroup(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: PatchStakeholderGroupBody;
}): Promise<StakeholderGroupResponse> {
  assertAdmin(deps.actor, "set up stakeholder groups");
  const { db, input } = deps;
  const current = await db.stakeholderGroup.findUnique({ where: { id: deps.id }, include });
  if (!current) throw new NotFoundError("stakeholder group", deps.id);
  const users = input.users !== undefined ? await usersByEmail(db, input.users) : null;
  try {
    const row = await db.stakeholderGroup.update({
      where: { id: deps.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.geographies !== undefined ? { geographies: labels(input.geographies) } : {}),
        ...(input.products !== undefined ? { products: labels(input.products) } : {}),
        ...(input.emails !== undefined ? { emails: emails(input.emails) } : {}),
        ...(input.slackChannels !== undefined ? { slackChannels: channels(input.slackChannels) } : {}),
        ...(users ? { userIds: users.map((u) => u.id) } : {}),
      },
      include,
    });
    const all = await usersOf(db, [current, row]);
    const out = toGroupResponse(row, all);
    await recordAudit(db, {
      actor: deps.actor,
      action: "update",
      entity: "stakeholder_group",
      entityId: row.id,
      before: toGroupResponse(current, all),
      after: out,
    });
    return out;
  } catch (err) {
    if (isUniqueViolation(err)) throw nameTaken(input.name);
    throw err;
  }
}

export async function deleteGroup(deps: { db: Db; actor: Actor | null; id: string }): Promise<void> {
  assertAdmin(deps.actor, "set up stakeholder groups");
  const current = await deps.db.stakeholderGroup.findUnique({ where: { id: deps.id }, include });
  if (!current) throw new NotFoundError("stakeholder group", deps.id);
  await deps.db.stakeholderGroup.delete({ where: { id: deps.id } });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "delete",
    entity: "stakeholder_group",
    entityId: current.id,
    before: toGroupResponse(current, await usersOf(deps.db, [current])),
  });
}
