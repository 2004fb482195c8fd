import { LoginResponse, LogoutResponse, MeResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { dummyPasswordHash } from "../auth/passwords";
import { SESSION_COOKIE } from "../plugins/auth";
import { AccountLockedError, login } from "../services/sessions/login";
import { logout } from "../services/sessions/logout";

const LoginBody = z.strictObject({ email: z.string().email(), password: z.string().min(1).max(1000) });
/** Login attempts allowed per client address per window: slows password guessing to a crawl. */
const LOGIN_ATTEMPTS_PER_WINDOW = 10;

export function authRoutes(app: FastifyInstance, deps: { db: Db; secureCookies: boolean }): void {
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
        openapi: { errors: [401] },
      },
    },
    async (req, reply) => {
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
