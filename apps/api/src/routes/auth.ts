import { randomBytes } from "node:crypto";
import { AppError, UnauthorizedError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { SESSION_COOKIE, SESSION_TTL_MS, sha256 } from "../plugins/auth";
import { authenticate, dummyPasswordHash } from "../services/users";

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
      schema: { tags: ["auth"], body: LoginBody },
    },
    async (req, reply) => {
      const nowMs = Date.now();
      const r = await authenticate({ db: deps.db, nowMs }, req.body.email, req.body.password);
      if (r.kind === "locked") {
        const seconds = Math.max(1, Math.ceil((r.until.getTime() - nowMs) / 1000));
        reply.header("retry-after", String(seconds));
        throw new AppError(
          "rate_limited",
          `too many failed sign-ins for this account: it is locked for ${seconds} s more; try again after that`,
          { retryAfterSeconds: seconds },
        );
      }
      if (r.kind !== "ok") throw new UnauthorizedError("wrong email or password");
      const user = r.user;
      const secret = randomBytes(32).toString("base64url");
      await deps.db.session.create({
        data: {
          tokenHash: sha256(secret),
          userId: user.id,
          expiresAt: new Date(Date.now() + SESSION_TTL_MS),
        },
      });
      reply.setCookie(SESSION_COOKIE, secret, {
        httpOnly: true,
        sameSite: "strict",
        secure: deps.secureCookies,
        path: "/",
        maxAge: SESSION_TTL_MS / 1000,
      });
      return { user: { id: user.id, email: user.email, name: user.name, isAdmin: user.isAdmin } };
    },
  );
  r.post(
    "/api/v1/auth/logout",
    { config: { auth: "public" }, schema: { tags: ["auth"] } },
    async (req, reply) => {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) await deps.db.session.deleteMany({ where: { tokenHash: sha256(cookie) } });
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return { ok: true };
    },
  );
  r.get("/api/v1/auth/me", { config: { auth: "read" }, schema: { tags: ["auth"] } }, async (req) => {
    const a = req.actor!;
    return a.kind === "user"
      ? { kind: "user", id: a.id, email: a.label, isAdmin: a.isAdmin }
      : { kind: "token", id: a.id, name: a.label, scopes: [...a.scopes] };
  });
}
