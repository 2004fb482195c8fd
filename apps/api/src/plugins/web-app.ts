import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

/** Hashed file names (Vite's `assets/<name>-<hash>.<ext>`): a new build makes new names, so a copy never goes stale. */
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html names the current hashed files: the browser asks again each time (a 304 when unchanged). */
export const REVALIDATE = "no-cache";

/** Whether a path (as @fastify/static sees it, from the web app's root) is a hashed asset. */
const isHashed = (p: string) => /(^|[/\\])assets[/\\]/.test(p);

/**
 * Serves the built web app: files are sent as their prebuilt brotli or gzip copy when the browser accepts one
 * (the build writes `.br` and `.gz` next to each file), hashed files under /assets are cached for a year as
 * immutable, and index.html is revalidated on every load. Source maps are never served. Any other path that
 * is not the API's is the single-page app (index.html); a missing /assets file is a 404, not the page.
 */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<boolean> {
  if (!existsSync(path.join(webDist, "index.html"))) return false;
  await app.register(fastifyStatic, {
    root: webDist,
    prefix: "/",
    wildcard: false,
    preCompressed: true,
    cacheControl: false,
    allowedPath: (p) => !p.endsWith(".map"),
    setHeaders: (res, filePath) => {
      res.header("cache-control", isHashed(path.relative(webDist, filePath)) ? IMMUTABLE : REVALIDATE);
    },
  });
  const notFound = (reply: FastifyReply, url: string) =>
    reply.code(404).send({ error: { code: "not_found", message: `no route GET ${url.split("?")[0]}` } });
  app.get("/*", { config: { auth: "public" }, schema: { hide: true } }, (req, reply) => {
    if (
      req.url.startsWith("/api/") ||
      req.url.startsWith("/assets/") ||
      req.url.split("?")[0]!.endsWith(".map")
    )
      return notFound(reply, req.url);
    return reply.header("cache-control", REVALIDATE).sendFile("index.html");
  });
  return true;
}
