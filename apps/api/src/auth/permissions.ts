import { ForbiddenError, UnauthorizedError } from "@burnrate/contracts";
import type { Actor, Scope } from "./actor";

/**
 * Who may do what. Routes declare the permission they need (checked on every request before the body is
 * read); services then check the team that owns what is changed. Every rule is a pure function of the actor
 * and the ids the service has loaded.
 */

/** What a route may demand of a signed-in caller. */
export type Permission = Scope;

/** People read and write (team checks follow) and only admins administer or ingest; tokens have scopes. */
export function hasPermission(actor: Actor, need: Permission): boolean {
  if (actor.kind === "user") {
    if (need === "admin") return actor.isAdmin;
    return (need !== "ingest" && need !== "history:write") || actor.isAdmin; // for machines and admins
  }
  const s = actor.scopes;
  if (s.has("admin")) return true;
  if (need === "read") return s.has("read") || s.has("write");
  return s.has(need);
}

/** Org admins: admin users and admin-scope tokens. */
export function isAdmin(actor: Actor | null): boolean {
  return !!actor && (actor.kind === "user" ? actor.isAdmin : actor.scopes.has("admin"));
}

export function assertAdmin(actor: Actor | null, what: string): void {
  if (!isAdmin(actor)) throw new ForbiddenError(`only org admins can ${what}`);
}

/** Team editors change their own team's things; org admins and admin/global-write tokens change everything. */
export function assertCanWriteTeam(actor: Actor | null, teamId: string): void {
  if (!actor) throw new UnauthorizedError();
  if (actor.kind === "user") {
    if (actor.isAdmin || actor.editorOf.has(teamId)) return;
    throw new ForbiddenError("only editors of the owning team or org admins can change this");
  }
  if (actor.scopes.has("admin")) return;
  if (actor.scopes.has("write") && (actor.teamId === null || actor.teamId === teamId)) return;
  throw new ForbiddenError("this token cannot change another team's resources");
}

/**
 * A thing owned by a team needs write access to that team; an org-wide thing (no team) needs an org admin,
 * and is refused with `orgWideRefusal`.
 */
export function assertCanWriteOwner(
  actor: Actor | null,
  teamId: string | null,
  orgWideRefusal: string,
): void {
  if (teamId) assertCanWriteTeam(actor, teamId);
  else if (!isAdmin(actor)) throw new ForbiddenError(orgWideRefusal);
}

/**
 * Traffic for a team's services: org admins, admin tokens, and tokens with the scope (`ingest`, or
 * `history:write` for a history import), global or of that team.
 */
export function canIngestTeam(
  actor: Actor | null,
  teamId: string,
  scope: "ingest" | "history:write" = "ingest",
): boolean {
  if (!actor) return false;
  if (actor.kind === "user") return actor.isAdmin;
  if (actor.scopes.has("admin")) return true;
  return actor.scopes.has(scope) && (actor.teamId === null || actor.teamId === teamId);
}

/** Teams are created by org admins and by tokens that are not bound to a team. */
export function assertCanCreateTeam(actor: Actor | null): void {
  if (!actor) throw new UnauthorizedError();
  if (actor.kind === "user" && !actor.isAdmin) throw new ForbiddenError("only org admins create teams");
  if (actor.kind === "token" && actor.teamId !== null)
    throw new ForbiddenError("a team-bound token cannot create teams");
}

/** Deleting a team is for org admins only, not its editors. */
export function assertCanDeleteTeam(actor: Actor | null): void {
  if (!isAdmin(actor)) throw new ForbiddenError("only org admins delete teams");
}

/**
 * Admin-scope and global tokens need an org admin; a team editor (or a token that may write the team) may
 * create tokens bound to their team without the admin scope.
 */
export function assertCanCreateToken(
  actor: Actor | null,
  token: { scopes: string[]; teamId: string | null },
): void {
  if (token.scopes.includes("admin") || !token.teamId) assertAdmin(actor, "create admin or global tokens");
  else assertCanWriteTeam(actor, token.teamId);
}

/** A token is revoked by the user who created it or by an org admin. */
export function assertCanRevokeToken(actor: Actor | null, token: { userId: string | null }): void {
  const own = actor?.kind === "user" && token.userId === actor.id;
  if (!own && !isAdmin(actor))
    throw new ForbiddenError("only the token's creator or an org admin can revoke it");
}
