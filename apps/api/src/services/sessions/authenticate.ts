import type { Db } from "@burnrate/db";
import { dummyPasswordHash, verifyPassword } from "../../auth/passwords";
import { clearLoginFailures, loginLockedUntil, recordLoginFailure } from "./lockout";

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
  await clearLoginFailures(db, email);
  return { kind: "ok", user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin } };
}
