import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import { readSloExposition } from "../services/metrics/slo-metrics";
import { EXPOSITION_CONTENT_TYPE } from "../services/metrics/slo-exposition";

export function systemRoutes(app: FastifyInstance, deps: { db: Db; redis: Redis; registry: Registry }): void {
  app.get("/healthz", { config: { auth: "public" }, schema: { hide: true } }, async () => ({ status: "ok" }));
  app.get("/readyz", { config: { auth: "public" }, schema: { hide: true } }, async (req, reply) => {
    const [postgres, redis] = await Promise.all([
      check(() => deps.db.$queryRawUnsafe("SELECT 1")),
      check(() => pingRedis(deps.redis)),
    ]);
    const down = [postgres !== "ok" && "Postgres", redis !== "ok" && "Redis"].filter(Boolean);
    if (!down.length) return reply.code(200).send({ postgres, redis });
    req.log.warn({ postgres, redis }, "not ready");
    return reply.code(503).send({
      postgres,
      redis,
      message: `${down.join(" and ")} ${down.length > 1 ? "are" : "is"} not answering; Burnrate cannot serve requests until ${down.length > 1 ? "they are" : "it is"} back`,
    });
  });
  app.get("/metrics", { config: { auth: "public" }, schema: { hide: true } }, async (_req, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
  // SLO series on their own path, so a scrape of the process's health stays light. Public like /metrics:
  // both are for a Prometheus on the operators' network (see the README on exposing them).
  // Prometheus asks for gzip: the text of 10,000 SLO × region is tens of MB, gzipped about a tenth of that.
  app.get("/metrics/slos", { config: { auth: "public" }, schema: { hide: true } }, async (req, reply) => {
    const e = await readSloExposition(deps.db);
    reply.type(EXPOSITION_CONTENT_TYPE).header("vary", "accept-encoding");
    if (!acceptsGzip(req.headers["accept-encoding"])) return reply.send(e.text);
    return reply.header("content-encoding", "gzip").send(await e.gzipped());
  });
}

/** Each dependency gets this long to answer a readiness check, so `/readyz` answers within a second. */
export const READY_CHECK_TIMEOUT_MS = 800;

/**
 * PING when the client is connected. A client still making its first connection gets the check's budget to
 * finish it; a disconnected one (reconnecting, closed) would queue the PING until Redis is back, so it is
 * "down" at once.
 */
function pingRedis(redis: Redis): Promise<unknown> {
  if (redis.status === "ready" || redis.status === "wait") return redis.ping(); // "wait": lazyConnect, PING connects
  if (redis.status === "connecting" || redis.status === "connect")
    return new Promise((resolve, reject) => {
      const ready = () => (redis.off("error", failed), resolve(redis.ping()));
      const failed = () => (redis.off("ready", ready), reject(new Error("down")));
      redis.once("ready", ready);
      redis.once("error", failed);
    });
  return Promise.reject(new Error("down"));
}

/** "ok", "down" or "timeout": plain words, never the driver's error text (it can carry hosts and queries). */
async function check(probe: () => Promise<unknown>): Promise<"ok" | "down" | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), READY_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([
      probe().then(
        () => "ok" as const,
        () => "down" as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether an Accept-Encoding header accepts gzip (named, or `*`, without `q=0`). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(",") : (header ?? "");
  return value.split(",").some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
