import {
  ActionItemResponse,
  CreateActionItemBody,
  PatchActionItemBody,
  PatchPostmortemBody,
  PostmortemResponse,
  PostmortemSettings,
  PostmortemSettingsResponse,
  TeamOverdueResponse,
  CreateIncidentBody,
  IncidentChannelSettingBody,
  IncidentChannelSettingsResponse,
  IncidentResponse,
  IncidentUpdateBody,
  ListIncidentsQuery,
  Slug,
  TeamIncidentChannelSettingBody,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  incidentChannelSettings,
  setOrgIncidentChannels,
  setTeamIncidentChannels,
} from "../services/incidents/channel-settings";
import { postmortemMarkdown } from "../services/incidents/postmortem-markdown";
import { getPostmortemSettings, setPostmortemSettings } from "../services/incidents/postmortem-settings";
import { CSV_TYPE, incidentsCsv, wantsCsv } from "../services/reports/csv";
import { createIncident } from "../services/incidents/create-incident";
import { syncChannelSoon } from "../services/incidents/incident-slack";
import { getIncident, listIncidents } from "../services/incidents/read-incidents";
import { postIncidentUpdate } from "../services/incidents/update-incident";
import {
  addActionItem,
  createPostmortem,
  getPostmortem,
  patchActionItem,
  patchPostmortem,
  teamOverdue,
} from "../services/incidents/postmortems";
import { IdParams, SlugParams, checkId } from "./params";

const ItemParams = z.object({ id: z.string(), itemId: z.string() });

export function incidentRoutes(
  app: FastifyInstance,
  deps: { db: Db; enqueue: Enqueue; now: () => number },
): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  r.post(
    "/api/v1/incidents",
    {
      config: { auth: "write" },
      schema: { tags: ["incidents"], body: CreateIncidentBody, response: { 201: IncidentResponse } },
    },
    async (req, reply) => {
      const out = await createIncident({ db, actor: req.actor, input: req.body, nowMs: deps.now() });
      await syncChannelSoon(deps.enqueue, out);
      return reply.code(201).send(out);
    },
  );
  r.get(
    "/api/v1/incidents",
    {
      config: { auth: "read" },
      schema: {
        tags: ["incidents"],
        description:
          "Incidents, newest first. With `Accept: text/csv` (or `format=csv`), one CSV line per incident (teams, services and regions separated by spaces).",
        querystring: ListIncidentsQuery,
        response: { 200: z.array(IncidentResponse) },
        openapi: {
          responses: {
            200: {
              description: "The incidents, as JSON or CSV.",
              content: {
                "application/json": { schema: z.array(IncidentResponse) },
                "text/csv": { schema: z.string() },
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const list = await listIncidents({ db, query: req.query });
      if (!wantsCsv(req.headers.accept, req.query.format)) return list;
      return (reply as FastifyReply)
        .type(CSV_TYPE)
        .header("content-disposition", 'attachment; filename="incidents.csv"')
        .send(incidentsCsv(list));
    },
  );
  r.get(
    "/api/v1/incidents/:id",
    {
      config: { auth: "read" },
      schema: { tags: ["incidents"], params: IdParams, response: { 200: IncidentResponse } },
    },
    async (req) => getIncident({ db, id: checkId("incident", req.params.id) }),
  );
  r.post(
    "/api/v1/incidents/:id/updates",
    {
      config: { auth: "write" },
      schema: {
        tags: ["incidents"],
        params: IdParams,
        body: IncidentUpdateBody,
        response: { 200: IncidentResponse },
      },
    },
    async (req) => {
      const out = await postIncidentUpdate({
        db,
        actor: req.actor,
        id: checkId("incident", req.params.id),
        input: req.body,
        nowMs: deps.now(),
      });
      await syncChannelSoon(deps.enqueue, out);
      return out;
    },
  );
  r.get(
    "/api/v1/settings/incident-channels",
    {
      config: { auth: "read" },
      schema: {
        tags: ["incidents"],
        description:
          "Which incident severities get their own Slack channel: the organisation's and each team's.",
        response: { 200: IncidentChannelSettingsResponse },
      },
    },
    async () => incidentChannelSettings(db),
  );
  r.put(
    "/api/v1/settings/incident-channels",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["incidents"],
        description: "Sets the organisation's severities that get an incident channel (org admins).",
        body: IncidentChannelSettingBody,
        response: { 200: IncidentChannelSettingsResponse },
      },
    },
    async (req) => setOrgIncidentChannels({ db, actor: req.actor, severities: req.body.severities }),
  );
  r.get(
    "/api/v1/settings/postmortems",
    {
      config: { auth: "read" },
      schema: {
        tags: ["incidents"],
        description:
          "The incident priorities whose resolution creates a postmortem (P1 until an admin sets them).",
        response: { 200: PostmortemSettingsResponse },
      },
    },
    async () => getPostmortemSettings(db),
  );
  r.put(
    "/api/v1/settings/postmortems",
    {
      config: { auth: "admin" },
      schema: {
        tags: ["incidents"],
        description:
          "Sets the incident priorities that require a postmortem (org admins); incidents resolved from then on follow it.",
        body: PostmortemSettings,
        response: { 200: PostmortemSettingsResponse },
      },
    },
    async (req) => setPostmortemSettings({ db, actor: req.actor, input: req.body }),
  );
  r.put(
    "/api/v1/teams/:slug/incident-channels",
    {
      config: { auth: "write" },
      schema: {
        tags: ["incidents"],
        description:
          "Sets a team's own severities that get an incident channel; null follows the organisation.",
        params: z.object({ slug: Slug }),
        body: TeamIncidentChannelSettingBody,
        response: { 200: IncidentChannelSettingsResponse },
      },
    },
    async (req) =>
      setTeamIncidentChannels({
        db,
        actor: req.actor,
        team: req.params.slug,
        severities: req.body.severities,
      }),
  );
  postmortemRoutes(app, deps);
}

function postmortemRoutes(app: FastifyInstance, deps: { db: Db; now: () => number }): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;
  const tags = ["incidents"];
  r.post(
    "/api/v1/incidents/:id/postmortem",
    {
      config: { auth: "write" },
      schema: {
        tags,
        params: IdParams,
        response: { 200: PostmortemResponse, 201: PostmortemResponse },
        description: "creates the incident's postmortem (201), or answers with the one it has (200)",
      },
    },
    async (req, reply) => {
      const r = await createPostmortem({
        db,
        actor: req.actor,
        incidentId: checkId("incident", req.params.id),
        nowMs: deps.now(),
      });
      return reply.code(r.created ? 201 : 200).send(r.body);
    },
  );
  r.get(
    "/api/v1/incidents/:id/postmortem",
    { config: { auth: "read" }, schema: { tags, params: IdParams, response: { 200: PostmortemResponse } } },
    async (req) => getPostmortem({ db, incidentId: checkId("incident", req.params.id), nowMs: deps.now() }),
  );
  r.get(
    "/api/v1/incidents/:id/postmortem.md",
    {
      config: { auth: "read" },
      schema: {
        tags,
        params: IdParams,
        description:
          "The postmortem as a Markdown document (book §9.5.7's template): the sections, the budget consumed, the timeline and the action items.",
        openapi: {
          responses: {
            200: {
              description: "A Markdown document.",
              content: { "text/markdown": { schema: z.string() } },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const pm = await getPostmortem({
        db,
        incidentId: checkId("incident", req.params.id),
        nowMs: deps.now(),
      });
      return reply
        .type("text/markdown; charset=utf-8")
        .header("content-disposition", `attachment; filename="postmortem-incident-${pm.incident.number}.md"`)
        .send(postmortemMarkdown(pm));
    },
  );
  r.patch(
    "/api/v1/incidents/:id/postmortem",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, body: PatchPostmortemBody, response: { 200: PostmortemResponse } },
    },
    async (req) =>
      patchPostmortem({
        db,
        actor: req.actor,
        incidentId: checkId("incident", req.params.id),
        input: req.body,
        nowMs: deps.now(),
      }),
  );
  r.post(
    "/api/v1/incidents/:id/postmortem/action-items",
    {
      config: { auth: "write" },
      schema: { tags, params: IdParams, body: CreateActionItemBody, response: { 201: ActionItemResponse } },
    },
    async (req, reply) =>
      reply.code(201).send(
        await addActionItem({
          db,
          actor: req.actor,
          incidentId: checkId("incident", req.params.id),
          input: req.body,
          nowMs: deps.now(),
        }),
      ),
  );
  r.patch(
    "/api/v1/incidents/:id/postmortem/action-items/:itemId",
    {
      config: { auth: "write" },
      schema: { tags, params: ItemParams, body: PatchActionItemBody, response: { 200: ActionItemResponse } },
    },
    async (req) =>
      patchActionItem({
        db,
        actor: req.actor,
        incidentId: checkId("incident", req.params.id),
        itemId: checkId("action item", req.params.itemId),
        input: req.body,
        nowMs: deps.now(),
      }),
  );
  r.get(
    "/api/v1/teams/:slug/overdue",
    {
      config: { auth: "read" },
      schema: {
        tags,
        params: SlugParams,
        response: { 200: TeamOverdueResponse },
        description: "overdue postmortems and action items of the incidents that touch the team",
      },
    },
    async (req) => teamOverdue({ db, slug: req.params.slug, nowMs: deps.now() }),
  );
}
