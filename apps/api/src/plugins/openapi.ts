import type { SwaggerOptions } from "@fastify/swagger";
import type { FastifySchema, RouteOptions } from "fastify";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  ERROR_RESPONSES,
  ERROR_SCHEMA,
  ERROR_SCHEMA_NAME,
  errorResponseComponents,
  errorStatusesOf,
} from "./openapi-errors";
import { operationIdOf, summaryOf, tagOf } from "./openapi-names";

/**
 * The OpenAPI 3.1 document at /docs/json, derived from the routes as they are registered: their zod schemas
 * (through fastify-type-provider-zod), their `config.auth` (public routes need no security) and their method
 * and path (operationId, summary, tag, the error statuses they can answer). A route adds only what zod cannot
 * say, in `schema.openapi`: a body it parses itself, answers that are not JSON, extra error statuses.
 */

type JsonSchema = Record<string, unknown>;
/** Media types and their schemas: zod (turned into JSON Schema like the routes' own) or JSON Schema. */
type Media = Record<string, { schema: JsonSchema | z.ZodType }>;

export interface OperationDoc {
  /** A body the route parses itself (YAML, NDJSON, protobuf, a form): each media type's schema. */
  requestBody?: { description?: string; required?: boolean; content: Media };
  /** Successful answers that are not JSON from a zod schema: status → description and content. */
  responses?: Record<string, { description: string; content?: Media }>;
  /** Error statuses beyond those derived from the route (see errorStatusesOf). */
  errors?: number[];
  /** The content of the route's error answers when they are not only the API's JSON error. */
  errorContent?: Media;
}

declare module "fastify" {
  interface FastifySchema {
    /** What the OpenAPI document needs beyond the zod schemas (see plugins/openapi.ts). */
    openapi?: OperationDoc;
  }
}

/** Carries a route's facts from the per-route transform to the document transform (removed there). */
const FACTS_KEY = "x-burnrate-route";
interface Facts {
  method: string;
  url: string;
  auth: string;
  /** Path or query parameters: what they name may not exist (404). */
  hasParams: boolean;
  rateLimited: boolean;
  doc: OperationDoc;
}

export const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: "Sign-in, users and API tokens.",
  catalog: "Teams, services, endpoints, regions and deployments.",
  slos: "SLOs, their versions, status and series; default SLOs; the editor's preview.",
  reports: "Overview, periods and indicators across SLOs.",
  slas: "Service level agreements: contractual objectives, their budgets and adherence per period.",
  policy: "Error budget policies, enactments and the release gate.",
  alerts: "Burn-rate alerts and silences.",
  incidents:
    "Incidents, their updates and timelines; postmortems and their action items; stakeholder rings; status pages and their public feeds.",
  "on-call": "Schedules, overrides, swaps, who is on call and calendar feeds.",
  openslo: "OpenSLO import and export.",
  slack: "Slack settings and Slack's signed callbacks.",
  ingest: "Request records: NDJSON and OTLP/HTTP traces.",
  audit: "The audit log.",
};

const STATUS_TEXT: Record<string, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No content",
};

export function openApiOptions(publicUrl: string): SwaggerOptions {
  const errorRef = `#/components/schemas/${ERROR_SCHEMA_NAME}`;
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Burnrate API",
        version: "1.0.0",
        description:
          "SLOs, error budgets and burn-rate alerts. Errors are `{error:{code,message,details}}` (the `Error` schema). Auth: session cookie or `Authorization: Bearer <token>`.",
        license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
      },
      servers: [{ url: publicUrl, description: "This Burnrate server (PUBLIC_URL)." }],
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          cookie: { type: "apiKey", in: "cookie", name: "burnrate_session" },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    stripBasePath: false,
    transform: (args) => transformRoute(args as TransformArgs),
    transformObject: (documentObject) =>
      finishDocument((documentObject as { openapiObject: Doc }).openapiObject, errorRef),
  } as SwaggerOptions;
}

interface TransformArgs {
  schema: FastifySchema | undefined;
  url: string;
  route: RouteOptions;
  openapiObject: unknown;
}

function transformRoute(args: TransformArgs): { schema: JsonSchema; url: string } {
  const { openapi: doc = {}, ...rest } = (args.schema ?? {}) as FastifySchema;
  const base = jsonSchemaTransform({ ...args, schema: rest } as Parameters<
    typeof jsonSchemaTransform
  >[0]) as {
    schema: JsonSchema;
    url: string;
  };
  if (!base.schema || base.schema.hide) return base;
  const schema = { ...base.schema };
  const method = [args.route.method].flat().find((m) => m !== "HEAD") ?? "GET";
  const response = (schema.response ?? {}) as Record<string, JsonSchema>;
  schema.operationId ??= operationIdOf(method, args.url);
  schema.summary ??= summaryOf(method, args.url, {
    listsItems: response["200"]?.type === "array",
    creates: "201" in response,
  });
  schema.tags ??= [tagOf(args.url)];
  const config = (args.route.config ?? {}) as { auth?: string; rateLimit?: unknown };
  const facts: Facts = {
    method,
    url: args.url,
    auth: config.auth ?? "public",
    hasParams: args.url.includes(":") || "querystring" in rest,
    rateLimited: Boolean(config.rateLimit),
    doc: jsonDoc(doc),
  };
  schema[FACTS_KEY] = facts;
  return { schema, url: base.url };
}

function jsonMedia(media: Media): Media {
  return Object.fromEntries(
    Object.entries(media).map(([type, { schema }]) => {
      if (!(schema instanceof z.ZodType)) return [type, { schema }];
      const { $schema: _, ...json } = z.toJSONSchema(schema, {
        target: "draft-2020-12",
        io: "output",
        unrepresentable: "any",
      }) as JsonSchema;
      return [type, { schema: json }];
    }),
  );
}

/** The route's OpenAPI additions with every zod schema turned into JSON Schema. */
function jsonDoc(doc: OperationDoc): OperationDoc {
  return {
    ...doc,
    ...(doc.requestBody
      ? { requestBody: { ...doc.requestBody, content: jsonMedia(doc.requestBody.content) } }
      : {}),
    ...(doc.responses
      ? {
          responses: Object.fromEntries(
            Object.entries(doc.responses).map(([status, r]) => [
              status,
              r.content ? { ...r, content: jsonMedia(r.content) } : r,
            ]),
          ),
        }
      : {}),
    ...(doc.errorContent ? { errorContent: jsonMedia(doc.errorContent) } : {}),
  };
}

type Operation = Record<string, unknown> & { responses?: Record<string, JsonSchema> };
type Doc = Record<string, unknown> & {
  paths?: Record<string, Record<string, Operation>>;
  components?: Record<string, Record<string, unknown>>;
};

function finishDocument(doc: Doc, errorRef: string): Doc {
  const tags = new Set<string>();
  for (const ops of Object.values(doc.paths ?? {}))
    for (const op of Object.values(ops)) {
      const facts = op[FACTS_KEY] as Facts | undefined;
      delete op[FACTS_KEY];
      for (const t of (op.tags as string[] | undefined) ?? []) tags.add(t);
      if (facts) finishOperation(op, facts);
    }
  doc.components = {
    ...doc.components,
    schemas: { ...doc.components?.schemas, [ERROR_SCHEMA_NAME]: ERROR_SCHEMA },
    responses: { ...doc.components?.responses, ...errorResponseComponents(errorRef) },
  };
  doc.tags = [...tags].sort().map((name) => ({
    name,
    description: TAG_DESCRIPTIONS[name] ?? `Operations under /${name}.`,
  }));
  return doc;
}

function finishOperation(op: Operation, facts: Facts): void {
  const { doc } = facts;
  if (facts.auth === "public") op.security = [];
  if (doc.requestBody && !op.requestBody) op.requestBody = { required: true, ...doc.requestBody };
  const responses: Record<string, JsonSchema> = {};
  // A route that only redirects declares its 3xx; the 200 Fastify adds by default is not one of its answers.
  const redirects = Object.keys(doc.responses ?? {}).some((s) => s.startsWith("3"));
  for (const [status, res] of Object.entries({ ...op.responses, ...doc.responses })) {
    const r = { ...res } as JsonSchema;
    if (redirects && status === "200" && !doc.responses?.["200"]) continue;
    if (r.description === "Default Response") r.description = STATUS_TEXT[status] ?? `Status ${status}`;
    responses[status] = r;
  }
  for (const status of errorStatusesOf({ ...facts, extra: doc.errors ?? [] })) {
    const [name, description] = ERROR_RESPONSES[status];
    responses[String(status)] = doc.errorContent
      ? { description, content: doc.errorContent }
      : { $ref: `#/components/responses/${name}` };
  }
  responses.default = doc.errorContent
    ? { description: "An unexpected error (500).", content: doc.errorContent }
    : { $ref: "#/components/responses/InternalError" };
  op.responses = responses;
}
