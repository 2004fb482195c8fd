import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@burnrate/db";
import type { Redis } from "ioredis";
import type { Registry } from "prom-client";

/** Each dependency check gives up after this long, so /readyz answers within a second whatever is down. */
export const CHECK_TIMEOUT_MS = 600;

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface Readiness {
  redis: "ok" | "unreachable";
  postgres: "ok" | "unreachable";
  evaluation: "ok" | "stalled";
  lagSeconds: number;
}

export async function checkReadiness(deps: {
  db: Db;
  redis: Redis;
  stalled: () => boolean;
  lagMs: () => number;
}): Promise<Readiness> {
  // A disconnected ioredis client queues commands until it reconnects: do not wait for it, it is down.
  const redisOk =
    deps.redis.status === "ready"
      ? withTimeout(deps.redis.ping(), CHECK_TIMEOUT_MS).then(
          () => true,
          () => false,
        )
      : Promise.resolve(false);
  const pgOk = withTimeout(deps.db.$queryRawUnsafe("SELECT 1"), CHECK_TIMEOUT_MS).then(
    () => true,
    () => false,
  );
  const [r, p] = await Promise.all([redisOk, pgOk]);
  return {
    redis: r ? "ok" : "unreachable",
    postgres: p ? "ok" : "unreachable",
    evaluation: deps.stalled() ? "stalled" : "ok",
    lagSeconds: Math.round(deps.lagMs() / 100) / 10,
  };
}

/**
 * The worker's own HTTP endpoints: /healthz (the process answers), /readyz (503 while Redis or Postgres is
 * unreachable or evaluation has stalled; the body names which, never an error text), /metrics (Prometheus).
 */
export async function startWorkerHttp(deps: {
  port: number;
  host: string;
  registry: Registry;
  readiness: () => Promise<Readiness>;
}): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const send = (code: number, body: string, type = "application/json") => {
      res.writeHead(code, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, JSON.stringify({ error: "method" }));
    if (path === "/healthz") return send(200, JSON.stringify({ status: "ok" }));
    if (path === "/readyz")
      return void deps.readiness().then(
        (r) => {
          const ok = r.redis === "ok" && r.postgres === "ok" && r.evaluation === "ok";
          send(ok ? 200 : 503, JSON.stringify({ status: ok ? "ready" : "not ready", ...r }));
        },
        () => send(503, JSON.stringify({ status: "not ready" })),
      );
    if (path === "/metrics")
      return void deps.registry.metrics().then(
        (text) => send(200, text, deps.registry.contentType),
        () => send(500, "metrics unavailable\n", "text/plain"),
      );
    send(404, JSON.stringify({ error: "not found" }));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(deps.port, deps.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
