import { ConflictError, type CreateUserBody } from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import type { z } from "zod";
import type { Actor } from "../auth/actor";
import { hashPassword } from "../auth/passwords";
import { recordAudit } from "./audit";

type UserRow = { id: string; email: string; name: string; isAdmin: boolean; createdAt: Date };
const toUser = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isAdmin: u.isAdmin,
  createdAt: u.createdAt.toISOString(),
});

export async function createUser(deps: {
  db: Db;
  actor: Actor | null;
  input: z.infer<typeof CreateUserBody>;
}) {
  const { db, input } = deps;
  try {
    const u = await db.user.create({
      data: {
        email: input.email.toLowerCase(),
        name: input.name,
        isAdmin: input.isAdmin,
        passwordHash: await hashPassword(input.password),
      },
    });
    await recordAudit(db, {
      actor: deps.actor,
      action: "create",
      entity: "user",
      entityId: u.id,
      after: toUser(u),
    });
    return toUser(u);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new ConflictError(`user '${input.email}' already exists`, { field: "email" });
    throw e;
  }
}

export async function listUsers(deps: { db: Db; limit: number; offset: number }) {
  const rows = await deps.db.user.findMany({
    orderBy: { email: "asc" },
    take: deps.limit,
    skip: deps.offset,
  });
  return rows.map(toUser);
}
