import { randomBytes } from "node:crypto";
import { ConflictError, type CreateUserBody } from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import type { z } from "zod";
import { hashPassword, verifyPassword, type Actor } from "../plugins/auth";
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

/**
 * Per-account lockout. Failures are counted per email, known or not (so a lockout tells nothing about which
 * emails exist), in Postgres: the count survives restarts and holds across API replicas. From the 10th failure
 * on, the email is locked for 1 min, then 2, 4, 8 … up to 1 h per further failure; a count whose last failure
 * is a day old starts again, and a successful sign-in clears it.
 */
export const LOCKOUT = {
  threshold: 10,
  baseMs: 60_000,
  maxMs: 3600_000,
  memoryMs: 24 * 3600_000,
} as const;

export function lockoutMs(failures: number): number {
  if (failures < LOCKOUT.threshold) return 0;
  return Math.min(LOCKOUT.baseMs * 2 ** Math.min(failures - LOCKOUT.threshold, 30), LOCKOUT.maxMs);
}

export async function loginLockedUntil(db: Db, email: string, nowMs: number): Promise<Date | null> {
  const row = await db.loginFailure.findUnique({ where: { email }, select: { lockedUntil: true } });
  return row?.lockedUntil && row.lockedUntil.getTime() > nowMs ? row.lockedUntil : null;
}

/** Counts one failed sign-in atomically; returns the new count and, from the threshold on, the lock's end. */
export async function recordLoginFailure(
  db: Db,
  email: string,
  nowMs: number,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const now = new Date(nowMs);
  const forgetBefore = new Date(nowMs - LOCKOUT.memoryMs);
  const rows = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO login_failures (email, failures, last_failure_at)
    VALUES (${email}, 1, ${now})
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN login_failures.last_failure_at < ${forgetBefore} THEN 1
                      ELSE login_failures.failures + 1 END,
      last_failure_at = EXCLUDED.last_failure_at
    RETURNING failures`;
  const failures = rows[0]?.failures ?? 1;
  const ms = lockoutMs(failures);
  const lockedUntil = ms ? new Date(nowMs + ms) : null;
  if (lockedUntil) await db.loginFailure.update({ where: { email }, data: { lockedUntil } });
  // Old counts (mostly guessed emails) are dropped now and then, so the table stays small.
  if (failures === 1 && Math.random() < 0.01)
    await db.loginFailure.deleteMany({ where: { lastFailureAt: { lt: forgetBefore } } });
  return { failures, lockedUntil };
}

let dummyHash: Promise<string> | null = null;
/** A hash with the same parameters as real ones, verified when the email is unknown (equal timing). */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}

export type LoginResult =
  | { kind: "ok"; user: { id: string; email: string; name: string; isAdmin: boolean } }
  | { kind: "wrong" }
  | { kind: "locked"; until: Date };

/**
 * Checks a sign-in. Known and unknown emails take the same path: one lookup, one scrypt verification (against a
 * dummy hash when there is no user or no password) and one failure count, so neither the answer nor its
 * timing tells whether the email exists. While an email is locked, even the right password is refused.
 */
export async function authenticate(
  deps: { db: Db; nowMs: number; verify?: (password: string, hash: string) => Promise<boolean> },
  emailIn: string,
  password: string,
): Promise<LoginResult> {
  const { db, nowMs } = deps;
  const verify = deps.verify ?? verifyPassword;
  const email = emailIn.toLowerCase();
  const [lockedUntil, user, dummy] = await Promise.all([
    loginLockedUntil(db, email, nowMs),
    db.user.findUnique({ where: { email } }),
    dummyPasswordHash(),
  ]);
  if (lockedUntil) return { kind: "locked", until: lockedUntil };
  const ok = await verify(password, user?.passwordHash ?? dummy);
  if (!user?.passwordHash || !ok) {
    await recordLoginFailure(db, email, nowMs);
    return { kind: "wrong" };
  }
  await db.loginFailure.deleteMany({ where: { email } });
  return { kind: "ok", user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin } };
}
