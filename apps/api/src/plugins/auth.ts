import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { ForbiddenError, UnauthorizedError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance, FastifyRequest } from "fastify";

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;

export type Scope = "read" | "write" | "ingest" | "admin";
export const SCOPES: Scope[] = ["read", "write", "ingest", "admin"];
/** Who is calling. A user acts through a session; a token acts with its scopes (and team, when bound). */
export type Actor =
  | { kind: "user"; id: string; label: string; isAdmin: boolean; editorOf: Set<string>; viaCookie: true }
  | { kind: "token"; id: string; label: string; scopes: Set<Scope>; teamId: string | null };

export type RouteAuth = "public" | "read" | "write" | "ingest" | "admin";
declare module "fastify" {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyInstance {
    /** Every API route with the permission it declares (the authorization tests walk this list). */
    apiRoutes: { method: string; url: string; auth: RouteAuth }[];
  }
}

export const SESSION_COOKIE = "burnrate_session";
/** Sessions last a working week; logging out ends them at once. */
export const SESSION_TTL_MS = 7 * 24 * 3600_000;
/** Cookie-authenticated writes must carry this header: a cross-site form cannot set it (CSRF). */
export const CSRF_HEADER = "x-burnrate-csrf";

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
export const newSecret = (prefix: string) => `${prefix}_${randomBytes(24).toString("base64url")}`;

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 }; // OWASP-recommended scrypt cost for interactive logins
export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}
export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split("$");
  if (alg !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64");
  const got = await scrypt(pw, Buffer.from(salt, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(expected, got);
}

async function resolveActor(db: Db, req: FastifyRequest): Promise<Actor | null> {
  const authz = req.headers.authorization;
  if (authz) {
    const m = /^Bearer\s+(\S+)$/i.exec(authz);
    if (!m?.[1]) throw new UnauthorizedError("Authorization header must be 'Bearer <token>'");
    const token = await db.apiToken.findUnique({ where: { tokenHash: sha256(m[1]) } });
    if (!token || token.revokedAt) throw new UnauthorizedError("invalid or revoked token");
    void db.apiToken
      .update({ where: { id: token.id }, data: { lastUsedAt: new Date() } })
      .catch(() => undefined);
    return {
      kind: "token",
      id: token.id,
      label: `token:${token.name}`,
      scopes: new Set(token.scopes.filter((s): s is Scope => (SCOPES as string[]).includes(s))),
      teamId: token.teamId,
    };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  const session = await db.session.findUnique({
    where: { tokenHash: sha256(cookie) },
    include: { user: { include: { memberships: true } } },
  });
  if (!session || session.expiresAt.getTime() < Date.now()) return null;
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

function hasScope(actor: Actor, need: Exclude<RouteAuth, "public">): boolean {
  if (actor.kind === "user") {
    if (need === "admin") return actor.isAdmin;
    return need !== "ingest" || actor.isAdmin; // people read and write (team checks follow); ingest is for machines and admins
  }
  const s = actor.scopes;
  if (s.has("admin")) return true;
  if (need === "read") return s.has("read") || s.has("write");
  return s.has(need);
}

/** Every API route declares `config.auth`; one without it is refused at startup. Static assets are public. */
export function registerAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest("actor", null);
  const routes: { method: string; url: string; auth: RouteAuth }[] = [];
  app.decorate("apiRoutes", routes);
  app.addHook("onRoute", (route) => {
    const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    const isApi = route.url.startsWith("/api/") || route.url.startsWith("/v1/");
    if (isApi && auth)
      for (const m of [route.method].flat())
        if (m !== "HEAD") routes.push({ method: m, url: route.url, auth });
    if (!auth && isApi) throw new Error(`route ${route.method} ${route.url} declares no config.auth`);
  });
  // onRequest: an unauthenticated caller is refused before its body is read or validated.
  app.addHook("onRequest", async (req) => {
    const need = req.routeOptions.config?.auth ?? "public";
    if (need === "public") return;
    const actor = await resolveActor(db, req);
    if (!actor) throw new UnauthorizedError();
    if (
      actor.kind === "user" &&
      req.method !== "GET" &&
      req.method !== "HEAD" &&
      req.headers[CSRF_HEADER] !== "1"
    )
      throw new ForbiddenError(`cookie-authenticated writes must send the '${CSRF_HEADER}: 1' header`);
    if (!hasScope(actor, need)) throw new ForbiddenError(`this action needs the '${need}' permission`);
    req.actor = actor;
  });
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
export function assertCanIngestTeam(actor: Actor | null, teamId: string): boolean {
  if (!actor) return false;
  if (actor.kind === "user") return actor.isAdmin;
  if (actor.scopes.has("admin")) return true;
  return actor.scopes.has("ingest") && (actor.teamId === null || actor.teamId === teamId);
}
/** Org admins: admin users and admin-scope tokens. */
export function isAdmin(actor: Actor | null): boolean {
  return !!actor && (actor.kind === "user" ? actor.isAdmin : actor.scopes.has("admin"));
}
export function assertAdmin(actor: Actor | null, what: string): void {
  if (!isAdmin(actor)) throw new ForbiddenError(`only org admins can ${what}`);
}

export function actorLabel(actor: Actor | null): string {
  return actor?.label ?? "anonymous";
}
