import { ForbiddenError, UnauthorizedError } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import { resolveActor, type Actor } from "../auth/actor";
import { hasPermission, type Permission } from "../auth/permissions";

export type RouteAuth = "public" | Permission;
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
/** Cookie-authenticated writes must carry this header: a cross-site form cannot set it (CSRF). */
export const CSRF_HEADER = "x-burnrate-csrf";

/** Every API route declares `config.auth`; one without it is refused at startup. Static assets are public. */
export function registerAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest("actor", null);
  const routes: { method: string; url: string; auth: RouteAuth }[] = [];
  app.decorate("apiRoutes", routes);
  app.addHook("onRoute", (route) => {
    const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    const isApi =
      route.url.startsWith("/api/") ||
      route.url.startsWith("/v1/") ||
      route.url === "/metrics" ||
      route.url.startsWith("/metrics/");
    if (isApi && auth)
      for (const m of [route.method].flat())
        if (m !== "HEAD") routes.push({ method: m, url: route.url, auth });
    if (!auth && isApi) throw new Error(`route ${route.method} ${route.url} declares no config.auth`);
  });
  // onRequest: an unauthenticated caller is refused before its body is read or validated.
  app.addHook("onRequest", async (req) => {
    const need = req.routeOptions.config?.auth ?? "public";
    if (need === "public") return;
    const actor = await resolveActor(
      db,
      { authorization: req.headers.authorization, sessionSecret: req.cookies?.[SESSION_COOKIE] },
      Date.now(),
    );
    if (!actor) throw new UnauthorizedError();
    if (
      actor.kind === "user" &&
      req.method !== "GET" &&
      req.method !== "HEAD" &&
      req.headers[CSRF_HEADER] !== "1"
    )
      throw new ForbiddenError(`cookie-authenticated writes must send the '${CSRF_HEADER}: 1' header`);
    if (!hasPermission(actor, need)) throw new ForbiddenError(`this action needs the '${need}' permission`);
    req.actor = actor;
  });
}
