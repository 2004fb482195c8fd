import { AppError, UnauthorizedError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { authenticate } from "./authenticate";
import { SESSION_TTL_MS, createSession } from "./create-session";

/** 429 while the account is locked; the transport sends `retryAfterSeconds` as `Retry-After`. */
export class AccountLockedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      "rate_limited",
      `too many failed sign-ins for this account: it is locked for ${retryAfterSeconds} s more; try again after that`,
      { retryAfterSeconds },
    );
  }
}

export interface LoggedIn {
  user: { id: string; email: string; name: string; isAdmin: boolean };
  /** The new session's secret, for the session cookie, and how long it lives. */
  session: { secret: string; ttlMs: number };
}

/**
 * Signs a user in: checks the password (with the per-account lockout and equal work for unknown emails, see
 * `authenticate`) and starts a session. Wrong credentials are a 401 that says nothing about which was wrong.
 */
export async function login(
  deps: { db: Db; nowMs: number },
  input: { email: string; password: string },
): Promise<LoggedIn> {
  const { db, nowMs } = deps;
  const r = await authenticate({ db, nowMs }, input.email, input.password);
  if (r.kind === "locked")
    throw new AccountLockedError(Math.max(1, Math.ceil((r.until.getTime() - nowMs) / 1000)));
  if (r.kind !== "ok") throw new UnauthorizedError("wrong email or password");
  const secret = await createSession(db, r.user.id, nowMs);
  return { user: r.user, session: { secret, ttlMs: SESSION_TTL_MS } };
}
