import type { Db } from "@burnrate/db";
import { WEEK_MS } from "@burnrate/slo-core";
import { newSessionSecret, sha256 } from "../../auth/secrets";

/** Sessions last a working week; logging out ends them at once. */
export const SESSION_TTL_MS = WEEK_MS;

/** Starts a session for the user; returns its secret (the cookie's value), of which only the hash is stored. */
export async function createSession(db: Db, userId: string, nowMs: number): Promise<string> {
  const secret = newSessionSecret();
  await db.session.create({
    data: { tokenHash: sha256(secret), userId, expiresAt: new Date(nowMs + SESSION_TTL_MS) },
  });
  return secret;
}
