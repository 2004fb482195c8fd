import path from "node:path";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { createSecretBox, type Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import { createSlackSender } from "@burnrate/slack";
import { collectProcessMetrics } from "@burnrate/telemetry";
import Fastify, { type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import { Counter, Histogram, Registry } from "prom-client";
import type { ApiConfig } from "./config";
import { registerAuth } from "./plugins/auth";
import { registerErrorHandler } from "./plugins/errors";
import { registerHostileInputGuard } from "./plugins/hostile-input";
import { openApiOptions } from "./plugins/openapi";
import { registerWebApp } from "./plugins/web-app";
import { resilientRateLimitStore } from "./plugins/rate-limit-store";
import { alertRoutes } from "./routes/alerts";
import { authRoutes } from "./routes/auth";
import { OidcClient } from "./services/sessions/oidc";
import { auditRoutes } from "./routes/audit";
import { defaultSloRoutes } from "./routes/default-slos";
import { deploymentRoutes } from "./routes/deployments";
import { endpointRoutes } from "./routes/endpoints";
import { regionRoutes } from "./routes/regions";
import { serviceRoutes } from "./routes/services";
import { teamRoutes } from "./routes/teams";
import { tokenRoutes } from "./routes/tokens";
import { userRoutes } from "./routes/users";
import { policyRoutes } from "./routes/policy";
import { ingestRoutes, registerIngestAdmission, type IngestRouteDeps } from "./routes/ingest";
import { historyRoutes } from "./routes/history";
import { createIngestRuntime } from "./services/ingest/create-runtime";
import { Semaphore, coalescePerKey } from "./services/ingest/runtime";
import { syncDefaultSlos } from "./services/default-slos";
import { escalationRoutes } from "./routes/escalation-policies";
import { receiverRoutes } from "./routes/receivers";
import { scheduleRoutes } from "./routes/schedules";
import { userGroupRoutes } from "./routes/user-groups";
import { silenceRoutes } from "./routes/silences";
import { incidentRoutes } from "./routes/incidents";
import { statusPageRoutes } from "./routes/status-pages";
import { stakeholderRoutes } from "./routes/stakeholders";
import { slackRoutes } from "./routes/slack";
import { otlpRoutes } from "./routes/otlp";
import { opensloRoutes } from "./routes/openslo";
import { promImportRoutes } from "./routes/prom-import";
import { sloRoutes } from "./routes/slos";
import { newsletterRoutes } from "./routes/newsletter";
import { supportTicketRoutes } from "./routes/support-tickets";
import { reportRoutes } from "./routes/reports";
import { slaRoutes } from "./routes/slas";
import { systemRoutes } from "./routes/system";
import { apiLoggerOptions } from "./logging";

export interface AppDeps {
  config: ApiConfig;
  db: Db;
  redis: Redis;
  enqueue: Enqueue;
  now?: () => number;
  logger?: boolean | object;
}

/** Builds the Fastify app from its dependencies; tests call this with their own config and `app.inject`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, redis, enqueue } = deps;
  const now = deps.now ?? Date.now;
  const app = Fastify({
    logger: deps.logger ?? apiLoggerOptions(config.LOG_LEVEL),
    // Off unless configured: otherwise any client could pick its own address with X-Forwarded-For.
    // (Fastify takes a hop count too; its types only list boolean | string | string[] | function.)
    trustProxy: config.BURNRATE_TRUST_PROXY as boolean | string[],
    bodyLimit: 1024 * 1024,
    requestTimeout: config.BURNRATE_REQUEST_TIMEOUT_MS,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  registerHostileInputGuard(app);

  const registry = new Registry();
  // The event-loop delay is sampled while requests are in flight (and a moment after), not on a timer for the
  // process's life: an idle API sleeps.
  const loopDelay = collectProcessMetrics(registry);
  app.addHook("onRequest", async (_req, reply) => {
    loopDelay.enter();
    reply.raw.once("close", () => loopDelay.leave()); // once, for answered and aborted requests alike
  });
  app.addHook("onClose", async () => loopDelay.stop());
  // prom-client's three totals are gauges with a counter's "_total" suffix, which the text format's naming
  // rules (promtool check metrics) refuse; each is the sum of its per-type gauge (nodejs_active_handles{type}…).
  for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  const httpDuration = new Histogram({
    name: "burnrate_http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const ingestCounter = new Counter({
    name: "burnrate_ingested_records_total",
    help: "Ingested request records",
    labelNames: ["result"],
    registers: [registry],
  });
  app.addHook("onResponse", async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: metricsRoute(req.routeOptions), status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  // Ingest admission runs first: a request refused for capacity costs no database round trip.
  const ingestRuntime = createIngestRuntime(db, config, (err, msg) => app.log.error({ err }, msg));
  registerIngestAdmission(app, ingestRuntime.gate, config.BURNRATE_INGEST_MAX_BYTES);
  app.addHook("onClose", async () => ingestRuntime.close());

  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    // Counted in Redis; in memory while Redis is down (login stays throttled and answers at once).
    store: resilientRateLimitStore(app, redis, `${config.BURNRATE_QUEUE_PREFIX}:burnrate-rl:`),
  });
  await app.register(swagger, openApiOptions(config.publicUrl));
  await app.register(swaggerUi, { routePrefix: "/docs" });
  registerAuth(app, db);

  systemRoutes(app, { db, redis, registry });
  authRoutes(app, {
    db,
    secureCookies: config.BURNRATE_SECURE_COOKIES ?? config.publicUrl.startsWith("https:"),
    passwordLogin: config.BURNRATE_PASSWORD_LOGIN ?? true,
    oidc: config.oidc
      ? { client: new OidcClient(config.oidc, redis, config.BURNRATE_QUEUE_PREFIX), config: config.oidc }
      : null,
    now,
  });
  teamRoutes(app, { db });
  serviceRoutes(app, { db });
  endpointRoutes(app, { db, enqueue });
  defaultSloRoutes(app, { db, enqueue });
  deploymentRoutes(app, { db, now });
  userRoutes(app, { db });
  regionRoutes(app, { db });
  tokenRoutes(app, { db });
  auditRoutes(app, { db });
  policyRoutes(app, { db, now, enqueue });
  const secrets = createSecretBox(config.BURNRATE_SECRET_KEY, config.BURNRATE_SECRET_KEY_PREVIOUS);
  sloRoutes(app, { db, enqueue, now, secrets });
  reportRoutes(app, { db, now });
  newsletterRoutes(app, { db, now, publicUrl: config.publicUrl });
  slaRoutes(app, { db, now });
  await opensloRoutes(app, { db, enqueue });
  await supportTicketRoutes(app, { db, now });
  await promImportRoutes(app, { db, enqueue });
  alertRoutes(app, { db, enqueue, now });
  silenceRoutes(app, { db, now });
  incidentRoutes(app, { db, enqueue, now });
  statusPageRoutes(app, { db, now, publicUrl: config.publicUrl });
  stakeholderRoutes(app, { db, now });
  scheduleRoutes(app, { db, now });
  escalationRoutes(app, { db });
  receiverRoutes(app, { db, secrets });
  userGroupRoutes(app, { db });
  await slackRoutes(app, {
    db,
    redis,
    enqueue,
    slack: config.SLACK_BOT_TOKEN
      ? createSlackSender({ token: config.SLACK_BOT_TOKEN, apiUrl: config.SLACK_API_URL })
      : null,
    botToken: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    publicUrl: config.publicUrl,
    queuePrefix: config.BURNRATE_QUEUE_PREFIX,
    now,
  });
  // Default SLOs apply to endpoints first seen in traffic too (one sync at a time per service).
  const onNewEndpoints = coalescePerKey((id) => syncDefaultSlos({ db, enqueue }, id));
  const ingestDeps: IngestRouteDeps = {
    db,
    redis,
    maxBytes: config.BURNRATE_INGEST_MAX_BYTES,
    queuePrefix: config.BURNRATE_QUEUE_PREFIX,
    now,
    counter: ingestCounter,
    onNewEndpoints,
    runtime: ingestRuntime,
  };
  ingestRoutes(app, ingestDeps);
  otlpRoutes(app, ingestDeps);
  // History imports take their own database slots (one chunk at a time by default), never live ingest's.
  historyRoutes(app, {
    ...ingestDeps,
    enqueue,
    historySlots: new Semaphore(config.BURNRATE_HISTORY_CONCURRENCY, config.BURNRATE_HISTORY_QUEUE_WAIT_MS),
  });

  const webDist = config.BURNRATE_WEB_DIST ?? path.resolve(import.meta.dirname, "../../web/dist");
  await registerWebApp(app, webDist);
  return app;
}

/** Default metrics of prom-client left out of /metrics (see collectDefaultMetrics above). */
const MISNAMED_DEFAULT_METRICS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

/** The `route` label of a static file of the web app: one value for every asset, whatever its hashed name. */
export const STATIC_ROUTE_LABEL = "static";

/**
 * The `route` label of a request: the route's template (`/api/v1/slos/:id`), never the path asked for, so the
 * number of series stays bounded. @fastify/static registers one route per file (its `config.file`): those are
 * all "static". A request no route matched is "unmatched".
 */
export function metricsRoute(route: { url?: string; config?: unknown }): string {
  if ((route.config as { file?: unknown } | undefined)?.file !== undefined) return STATIC_ROUTE_LABEL;
  return route.url ?? "unmatched";
}
