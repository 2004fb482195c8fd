import {
  SlackAnswer,
  SlackSettingsResponse,
  SlackTestResponse,
  Slug,
  ValidationError,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { SlackSender } from "@burnrate/slack";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import { z } from "zod";
import { handleSlackCommand } from "../services/slack-commands";
import { handleSlackEvents } from "../services/slack-events";
import { handleSlackInteraction, sendSlackTest, slackSettings } from "../services/slack-interactions";

/** What the Events API endpoint answers: the challenge of a url_verification, else what it did. */
const SlackEventAnswer = z.object({
  challenge: z.string().optional(),
  ok: z.boolean().optional(),
  result: z.string().optional(),
});

export interface SlackRouteDeps {
  db: Db;
  redis: Redis;
  enqueue: Enqueue;
  slack: SlackSender | null;
  botToken: string | undefined;
  signingSecret: string | undefined;
  publicUrl: string;
  queuePrefix: string;
  now: () => number;
}

/**
 * Slack's interactivity callback lives in its own encapsulated plugin: its form bodies are kept as the raw
 * string, because the signature is computed over the exact bytes Slack sent.
 */
export async function slackRoutes(app: FastifyInstance, deps: SlackRouteDeps): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/api/v1/slack/interactions",
      {
        // Public at the HTTP level; every request is verified by Slack's signature instead.
        config: { auth: "public" },
        schema: {
          tags: ["slack"],
          description:
            "Slack's signed interactivity callback: the alert buttons (Acknowledge, Snooze 2 h, Open incident) and the message shortcut 'Add to incident timeline' (callback_id add_to_incident_timeline).",
          response: { 200: SlackAnswer },
          openapi: slackForm("payload=<JSON of a block_actions payload>"),
        },
      },
      async (req) => {
        if (typeof req.body !== "string")
          throw new ValidationError(
            "body: Slack sends application/x-www-form-urlencoded with payload=<json>",
          );
        const header = (n: string) => {
          const v = req.headers[n];
          return Array.isArray(v) ? v[0] : v;
        };
        return handleSlackInteraction({
          db: deps.db,
          enqueue: deps.enqueue,
          signingSecret: deps.signingSecret,
          rawBody: req.body,
          timestamp: header("x-slack-request-timestamp"),
          signature: header("x-slack-signature"),
          nowMs: deps.now(),
        });
      },
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/api/v1/slack/commands",
      {
        // Public at the HTTP level; every request is verified by Slack's signature instead.
        config: { auth: "public" },
        schema: {
          tags: ["slack"],
          description: "Slack's signed slash command: `/burnrate oncall <team>` answers who is on call now.",
          response: { 200: SlackAnswer },
          openapi: slackForm("command=/burnrate&text=oncall <team>&… (Slack's slash command fields)"),
        },
      },
      async (req) => {
        if (typeof req.body !== "string")
          throw new ValidationError("body: Slack sends application/x-www-form-urlencoded");
        const header = (n: string) => {
          const v = req.headers[n];
          return Array.isArray(v) ? v[0] : v;
        };
        return handleSlackCommand({
          db: deps.db,
          signingSecret: deps.signingSecret,
          rawBody: req.body,
          timestamp: header("x-slack-request-timestamp"),
          signature: header("x-slack-signature"),
          publicUrl: deps.publicUrl,
          nowMs: deps.now(),
        });
      },
    );
  });

  await app.register(async (scope) => {
    // The Events API signs the exact JSON bytes: keep them as the raw string here.
    scope.addContentTypeParser(
      "application/json",
      { parseAs: "string", bodyLimit: 1024 * 1024 },
      (_req, body, done) => done(null, body),
    );
    scope.withTypeProvider<ZodTypeProvider>().post(
      "/api/v1/slack/events",
      {
        // Public at the HTTP level; every request is verified by Slack's signature instead.
        config: { auth: "public" },
        schema: {
          tags: ["slack"],
          description:
            "Slack's signed Events API endpoint: url_verification, and in incident channels reaction_added " +
            "(:pushpin: puts the message on the timeline) and message (`status <state> <text>` updates the incident).",
          response: { 200: SlackEventAnswer },
          openapi: {
            requestBody: {
              description:
                "Slack's event envelope, signed with X-Slack-Signature over the exact bytes: {type: url_verification, challenge} or {type: event_callback, event_id, event}.",
              content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
            },
            errors: [401],
          },
        },
      },
      async (req) => {
        if (typeof req.body !== "string")
          throw new ValidationError("body: Slack's Events API sends application/json");
        const header = (n: string) => {
          const v = req.headers[n];
          return Array.isArray(v) ? v[0] : v;
        };
        return handleSlackEvents({
          db: deps.db,
          enqueue: deps.enqueue,
          slack: deps.slack,
          signingSecret: deps.signingSecret,
          rawBody: req.body,
          timestamp: header("x-slack-request-timestamp"),
          signature: header("x-slack-signature"),
          nowMs: deps.now(),
        });
      },
    );
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/settings/slack",
    {
      config: { auth: "read" },
      schema: { tags: ["slack"], response: { 200: SlackSettingsResponse } },
    },
    async () =>
      slackSettings({
        botToken: deps.botToken,
        signingSecret: deps.signingSecret,
        publicUrl: deps.publicUrl,
      }),
  );
  r.post(
    "/api/v1/teams/:slug/slack-test",
    {
      config: { auth: "write" },
      schema: {
        tags: ["slack"],
        params: z.object({ slug: Slug }),
        response: { 200: SlackTestResponse },
      },
    },
    async (req) => sendSlackTest({ db: deps.db, slack: deps.slack, actor: req.actor, team: req.params.slug }),
  );
}

/** A Slack callback's body (a signed form) and its 401 when the signature or timestamp does not hold. */
function slackForm(fields: string) {
  return {
    requestBody: {
      description: `Slack's form, signed with X-Slack-Signature over the exact bytes: ${fields}.`,
      content: { "application/x-www-form-urlencoded": { schema: z.record(z.string(), z.string()) } },
    },
    errors: [401],
  };
}
