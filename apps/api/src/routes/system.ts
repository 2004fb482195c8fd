import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";

export function systemRoutes(app: FastifyInstance, deps: { db: Db; redis: Redis; registry: Registry }): void {
  app.get("/healthz", { config: { auth: "public" }, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { auth: "public" }, schema: { hide: true } }, async (_req, reply) => {
    const checks = await Promise.all([
      withTimeout(deps.db.$queryRawUnsafe("SELECT 1"), 800).then(
        () => "ok",
        (e: Error) => `error: ${e.message}`,
      ),
      // A disconnected client queues commands until Redis is back: answer now instead of waiting for it.
      (deps.redis.status === "ready"
        ? withTimeout(deps.redis.ping(), 800)
        : Promise.reject(new Error("not connected"))
      ).then(
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

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
