import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";

export function systemRoutes(app: FastifyInstance, deps: { db: Db; redis: Redis; registry: Registry }): void {
  app.get("/healthz", { config: { auth: "public" }, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { auth: "public" }, schema: { hide: true } }, async (_req, reply) => {
    const checks = await Promise.all([
      deps.db.$queryRawUnsafe("SELECT 1").then(
        () => "ok",
        (e: Error) => `error: ${e.message}`,
      ),
      deps.redis.ping().then(
        () => "ok",
        (e: Error) => `error: ${e.message}`,
      ),
    ]);
    const body = { postgres: checks[0], redis: checks[1] };
    return reply.code(checks.every((c) => c === "ok") ? 200 : 503).send(body);
  });
  app.get("/metrics", { config: { auth: "public" }, schema: { hide: true } }, async (_req, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
}
