import {
  NewsletterPreviewResponse,
  NewsletterQuery,
  NewsletterSettings,
  PutNewsletterSettingsBody,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { getNewsletterSettings, previewNewsletter, putNewsletterSettings } from "../services/newsletter";
import { SlugParams } from "./params";

/** The weekly availability newsletter: its preview and its schedule, per team and organisation-wide. */
export function newsletterRoutes(
  app: FastifyInstance,
  deps: { db: Db; now: () => number; publicUrl: string },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["reports"];
  const preview = (slug: string | null, week: string | undefined) =>
    previewNewsletter({ db, slug, week, nowMs: deps.now(), publicUrl: deps.publicUrl });
  r.get(
    "/api/v1/teams/:slug/newsletter",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description:
          "The team's weekly availability newsletter for a local week (the last complete one by default): its numbers, and the Slack blocks and email it is sent as.",
        params: SlugParams,
        querystring: NewsletterQuery,
        response: { 200: NewsletterPreviewResponse },
      },
    },
    async (req) => preview(req.params.slug, req.query.week),
  );
  r.get(
    "/api/v1/newsletter",
    {
      config: { auth: "read" },
      schema: {
        tags,
        description: "The organisation-wide weekly availability newsletter for a local week.",
        querystring: NewsletterQuery,
        response: { 200: NewsletterPreviewResponse },
      },
    },
    async (req) => preview(null, req.query.week),
  );
  r.get(
    "/api/v1/teams/:slug/newsletter/settings",
    {
      config: { auth: "read" },
      schema: { tags, params: SlugParams, response: { 200: NewsletterSettings } },
    },
    async (req) => getNewsletterSettings({ db, slug: req.params.slug }),
  );
  r.put(
    "/api/v1/teams/:slug/newsletter/settings",
    {
      config: { auth: "write" },
      schema: {
        tags,
        description:
          "When (local weekday, time and zone) and where (Slack channel, emails) the team's newsletter goes.",
        params: SlugParams,
        body: PutNewsletterSettingsBody,
        response: { 200: NewsletterSettings },
      },
    },
    async (req) => putNewsletterSettings({ db, actor: req.actor, slug: req.params.slug, input: req.body }),
  );
  r.get(
    "/api/v1/newsletter/settings",
    { config: { auth: "read" }, schema: { tags, response: { 200: NewsletterSettings } } },
    async () => getNewsletterSettings({ db, slug: null }),
  );
  r.put(
    "/api/v1/newsletter/settings",
    {
      config: { auth: "write" },
      schema: { tags, body: PutNewsletterSettingsBody, response: { 200: NewsletterSettings } },
    },
    async (req) => putNewsletterSettings({ db, actor: req.actor, slug: null, input: req.body }),
  );
}
