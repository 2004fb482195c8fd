import { CreateStatusPageBody, PublicStatusResponse, StatusPageResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createStatusPage, listStatusPages } from "../services/status-pages/create-status-page";
import { publicStatus } from "../services/status-pages/public-status";
import { renderStatusAtom, renderStatusHtml } from "../services/status-pages/render";
import { SlugParams } from "./params";

const tags = ["incidents"];
/** Public pages are the same for everyone: caches and CDNs may keep them briefly. */
const CACHE = "public, max-age=30, stale-while-revalidate=60";
const HTML_DOC = {
  responses: {
    200: { description: "The status page (HTML).", content: { "text/html": { schema: z.string() } } },
  },
};
const ATOM_DOC = {
  responses: {
    200: {
      description: "The page's public incident updates as an Atom feed (RFC 4287).",
      content: { "application/atom+xml": { schema: z.string() } },
    },
  },
};

function publicHeaders(reply: FastifyReply, type: string, lastModified: string): FastifyReply {
  return reply
    .type(type)
    .header("cache-control", CACHE)
    .header("last-modified", new Date(lastModified).toUTCString())
    .header("x-content-type-options", "nosniff")
    .header(
      "content-security-policy",
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    );
}

export function statusPageRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => number; publicUrl: string },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, publicUrl } = deps;
  r.post(
    "/api/v1/status-pages",
    {
      config: { auth: "write" },
      schema: { tags, body: CreateStatusPageBody, response: { 201: StatusPageResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(await createStatusPage({ db, actor: req.actor, input: req.body, publicUrl })),
  );
  r.get(
    "/api/v1/status-pages",
    { config: { auth: "read" }, schema: { tags, response: { 200: z.array(StatusPageResponse) } } },
    async () => listStatusPages({ db, publicUrl }),
  );
  // The public page and its feeds: no session, nothing internal (see services/status-pages/public-status.ts).
  const status = (slug: string) => publicStatus({ db, slug, nowMs: deps.now(), publicUrl });
  r.get(
    "/status/:slug",
    { config: { auth: "public" }, schema: { tags, params: SlugParams, openapi: HTML_DOC } },
    async (req, reply) => {
      const s = await status(req.params.slug);
      return publicHeaders(reply, "text/html; charset=utf-8", s.page.updatedAt).send(renderStatusHtml(s));
    },
  );
  r.get(
    "/status/:slug.json",
    {
      config: { auth: "public" },
      schema: { tags, params: SlugParams, response: { 200: PublicStatusResponse } },
    },
    async (req, reply) => {
      const s = await status(req.params.slug);
      return publicHeaders(reply, "application/json; charset=utf-8", s.page.updatedAt)
        .header("access-control-allow-origin", "*")
        .send(s);
    },
  );
  r.get(
    "/status/:slug/feed.atom",
    { config: { auth: "public" }, schema: { tags, params: SlugParams, openapi: ATOM_DOC } },
    async (req, reply) => {
      const s = await status(req.params.slug);
      return publicHeaders(reply, "application/atom+xml; charset=utf-8", s.page.updatedAt).send(
        renderStatusAtom(s),
      );
    },
  );
}
