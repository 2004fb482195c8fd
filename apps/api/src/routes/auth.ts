import {
  AuthProvidersResponse,
  ForbiddenError,
  LoginResponse,
  LogoutResponse,
  MeResponse,
  SsoGroupRolesBody,
  SsoGroupRolesResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { dummyPasswordHash } from "../auth/passwords";
import { SESSION_COOKIE } from "../plugins/auth";
import { AccountLockedError, login } from "../services/sessions/login";
import { logout } from "../services/sessions/logout";
import { OIDC_FLOW_TTL_S, OidcError, oidcLogin, type OidcClient } from "../services/sessions/oidc";
import { effectiveGroupRoles, setSsoGroupRoles, ssoGroupRoles } from "../services/sessions/sso-settings";
import type { OidcConfig } from "../config";

const LoginBody = z.strictObject({ email: z.string().email(), password: z.string().min(1).max(1000) });
/** Login attempts allowed per client address per window: slows password guessing to a crawl. */
const LOGIN_ATTEMPTS_PER_WINDOW = 10;

/** Carries the id of a sign-in through the provider; SameSite=Lax, as the provider's answer is a cross-site navigation. */
export const OIDC_FLOW_COOKIE = "burnrate_oidc";
const OIDC_PATH = "/api/v1/auth/oidc";
const HTML = "text/html; charset=utf-8";
const OidcLoginQuery = z.strictObject({ next: z.string().max(2000).optional() });
const OidcCallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(1024).optional(),
  iss: z.string().max(1024).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
const REDIRECT_DOC = {
  responses: { 302: { description: "A redirect (Location)." } },
  errors: [400, 403, 404, 503],
  errorContent: {
    "text/html": { schema: z.string() },
    "application/json": {
      schema: z.object({
        error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
      }),
    },
  },
};

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** The page shown when a sign-in through the provider is refused: what went wrong, and a way back. */
function refusalPage(reply: FastifyReply, e: OidcError): FastifyReply {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · Burnrate</title>
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}
h1{font-size:1.4rem}a{color:#2457c5}</style></head><body><main>
<h1>Sign-in refused</h1><p>${escapeHtml(e.message)}</p><p>No session was started.</p>
<p><a href="/login">Back to sign-in</a></p></main></body></html>`;
  return reply
    .code(e.status)
    .type(HTML)
    .header("cache-control", "no-store")
    .header(
      "content-security-policy",
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    )
    .send(body);
}

export function authRoutes(
  app: FastifyInstance,
  deps: {
    db: Db;
    secureCookies: boolean;
    passwordLogin: boolean;
    oidc: { client: OidcClient; config: OidcConfig } | null;
    now: () => number;
  },
): void {
  void dummyPasswordHash(); // computed once up front, so the first unknown email is not slower
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    "/api/v1/auth/login",
    {
      config: { auth: "public", rateLimit: { max: LOGIN_ATTEMPTS_PER_WINDOW, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        summary: "Sign in",
        body: LoginBody,
        response: { 200: LoginResponse },
        openapi: { errors: [401, 403] },
      },
    },
    async (req, reply) => {
      if (!deps.passwordLogin)
        throw new ForbiddenError(
          `password sign-in is turned off: sign in with ${deps.oidc?.config.providerName}`,
        );
      try {
        const { user, session } = await login({ db: deps.db, nowMs: Date.now() }, req.body);
        reply.setCookie(SESSION_COOKIE, session.secret, {
          httpOnly: true,
          sameSite: "strict",
          secure: deps.secureCookies,
          path: "/",
          maxAge: session.ttlMs / 1000,
        });
        return { user };
      } catch (e) {
        if (e instanceof AccountLockedError) reply.header("retry-after", String(e.retryAfterSeconds));
        throw e;
      }
    },
  );
  r.get(
    "/api/v1/auth/providers",
    {
      config: { auth: "public" },
      schema: { tags: ["auth"], summary: "Ways to sign in", response: { 200: AuthProvidersResponse } },
    },
    async () => ({
      password: deps.passwordLogin,
      oidc: deps.oidc ? { name: deps.oidc.config.providerName, loginUrl: `${OIDC_PATH}/login` } : null,
    }),
  );
  r.get(
    `${OIDC_PATH}/login`,
    {
      config: { auth: "public", rateLimit: { max: 30, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        summary: "Sign in with the OpenID Connect provider (redirects there)",
        querystring: OidcLoginQuery,
        openapi: REDIRECT_DOC,
      },
    },
    async (req, reply) => {
      const oidc = deps.oidc;
      if (!oidc) return refusalPage(reply, new OidcError("not_found", "single sign-on is not configured"));
      try {
        const { url, flowId } = await oidc.client.start(req.query.next ?? "/");
        reply.setCookie(OIDC_FLOW_COOKIE, flowId, {
          httpOnly: true,
          sameSite: "lax",
          secure: deps.secureCookies,
          path: OIDC_PATH,
          maxAge: OIDC_FLOW_TTL_S,
        });
        return reply.header("cache-control", "no-store").redirect(url, 302);
      } catch (e) {
        if (e instanceof OidcError) return refusalPage(reply, e);
        throw e;
      }
    },
  );
  r.get(
    `${OIDC_PATH}/callback`,
    {
      config: { auth: "public", rateLimit: { max: 60, timeWindow: "1 minute" } },
      schema: {
        tags: ["auth"],
        summary: "The OpenID Connect provider's answer: starts a session and redirects into the app",
        querystring: OidcCallbackQuery,
        openapi: REDIRECT_DOC,
      },
    },
    async (req, reply) => {
      const oidc = deps.oidc;
      if (!oidc) return refusalPage(reply, new OidcError("not_found", "single sign-on is not configured"));
      // The flow is single use: whatever the outcome, its cookie goes.
      reply.clearCookie(OIDC_FLOW_COOKIE, { path: OIDC_PATH });
      try {
        const { claims, returnTo } = await oidc.client.finish(req.cookies[OIDC_FLOW_COOKIE], req.query);
        const { session } = await oidcLogin(
          {
            db: deps.db,
            nowMs: deps.now(),
            groupsClaim: oidc.config.groupsClaim,
            groupRoles: await effectiveGroupRoles(deps.db, oidc.config.groupRoles),
          },
          claims,
        );
        reply.setCookie(SESSION_COOKIE, session.secret, {
          httpOnly: true,
          sameSite: "strict",
          secure: deps.secureCookies,
          path: "/",
          maxAge: session.ttlMs / 1000,
        });
        return reply.header("cache-control", "no-store").redirect(returnTo, 302);
      } catch (e) {
        if (e instanceof OidcError) {
          req.log.warn({ reason: e.message }, "single sign-on refused");
          return refusalPage(reply, e);
        }
        throw e;
      }
    },
  );
  r.post(
    "/api/v1/auth/logout",
    {
      config: { auth: "public" },
      schema: { tags: ["auth"], summary: "Sign out", response: { 200: LogoutResponse } },
    },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await logout(deps.db, cookie);
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true as const };
    },
  );
  // The group mapping: the organisation's setting, OIDC_GROUP_ROLES as the default (org admins).
  const environment = deps.oidc?.config.groupRoles ?? [];
  r.get(
    "/api/v1/settings/sso-groups",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["auth"],
        summary: "Single sign-on group mapping",
        description:
          "Which identity-provider groups give which team roles (or org admin) at sign-in: the organisation's setting, or OIDC_GROUP_ROLES when none is saved (org admins).",
        response: { 200: SsoGroupRolesResponse },
      },
    },
    async (req) => ssoGroupRoles({ db: deps.db, actor: req.actor, environment }),
  );
  r.put(
    "/api/v1/settings/sso-groups",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["auth"],
        summary: "Set the single sign-on group mapping",
        description:
          "Saves the organisation's group mapping (null: back to OIDC_GROUP_ROLES). Each editor or viewer line names an existing team; it applies from each user's next sign-in (org admins).",
        body: SsoGroupRolesBody,
        response: { 200: SsoGroupRolesResponse },
      },
    },
    async (req) =>
      setSsoGroupRoles({ db: deps.db, actor: req.actor, environment, groupRoles: req.body.groupRoles }),
  );
  r.get(
    "/api/v1/auth/me",
    {
      config: { auth: "read" },
      schema: { tags: ["auth"], summary: "Who is calling", response: { 200: MeResponse } },
    },
    async (req) => {
      const a = req.actor!;
      return a.kind === "user"
        ? { kind: "user" as const, id: a.id, email: a.label, isAdmin: a.isAdmin }
        : { kind: "token" as const, id: a.id, name: a.label, scopes: [...a.scopes] };
    },
  );
}
