import { UnauthorizedError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { sha256 } from "./secrets";

export type Scope = "read" | "write" | "ingest" | "history:write" | "admin";
export const SCOPES: Scope[] = ["read", "write", "ingest", "history:write", "admin"];

/** Who is calling. A user acts through a session; a token acts with its scopes (and team, when bound). */
export type Actor =
  | { kind: "user"; id: string; label: string; isAdmin: boolean; editorOf: Set<string>; viaCookie: true }
  | { kind: "token"; id: string; label: string; scopes: Set<Scope>; teamId: string | null };

/** What a request carries to say who it is: an `Authorization` header and/or a session cookie's secret. */
export interface Credentials {
  authorization?: string;
  sessionSecret?: string;
}

/**
 * The actor behind a request's credentials, or null when it carries none (or only an ended session).
 * A bearer token wins over a session cookie; a malformed header or an unknown or revoked token is a 401.
 */
export async function resolveActor(db: Db, credentials: Credentials, nowMs: number): Promise<Actor | null> {
  if (credentials.authorization) return actorFromBearer(db, credentials.authorization, nowMs);
  if (!credentials.sessionSecret) return null;
  return actorFromSession(db, credentials.sessionSecret, nowMs);
}

/** The token named by `Authorization: Bearer <token>`; its last use is noted in the background. */
export async function actorFromBearer(db: Db, authorization: string, nowMs: number): Promise<Actor> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!m?.[1]) throw new UnauthorizedError("Authorization header must be 'Bearer <token>'");
  const token = await db.apiToken.findUnique({ where: { tokenHash: sha256(m[1]) } });
  if (!token || token.revokedAt) throw new UnauthorizedError("invalid or revoked token");
  void db.apiToken
    .update({ where: { id: token.id }, data: { lastUsedAt: new Date(nowMs) } })
    .catch(() => undefined);
  return {
    kind: "token",
    id: token.id,
    label: `token:${token.name}`,
    scopes: new Set(token.scopes.filter((s): s is Scope => (SCOPES as string[]).includes(s))),
    teamId: token.teamId,
  };
}

/** The user of a live session, with the teams they edit; null for an unknown or expired session. */
export async function actorFromSession(db: Db, sessionSecret: string, nowMs: number): Promise<Actor | null> {
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(sessionSecret) },
    include: { user: { include: { memberships: true } } },
  });
  if (!session || session.expiresAt.getTime() < nowMs) return null;
  const u = session.user;
  return {
    kind: "user",
    id: u.id,
    label: u.email,
    isAdmin: u.isAdmin,
    editorOf: new Set(u.memberships.filter((m) => m.role === "editor").map((m) => m.teamId)),
    viaCookie: true,
  };
}

/** How the audit log and authored records name the actor. */
export function actorLabel(actor: Actor | null): string {
  return actor?.label ?? "anonymous";
}
