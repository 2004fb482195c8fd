import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import {
  AppError,
  ConflictError,
  IngestResponse,
  ValidationError,
  type ErrorBody,
} from "@burnrate/contracts";
import { sqlRows, type Db } from "@burnrate/db";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import type { Counter } from "prom-client";
import type { Actor } from "../plugins/auth";
import {
  IdempotentReplay,
  ingestRecords,
  parseNdjson,
  type IdempotencyClaim,
  type IngestDeps,
  type IngestLimits,
} from "../services/ingest";
import {
  ClientGone,
  IngestGate,
  IngestUnavailable,
  LastSeenWriter,
  Semaphore,
  isDbUnavailable,
} from "../services/ingest-runtime";

/** NDJSON ingest. Accepts any content type (NDJSON is often sent as text/plain) and gzip bodies. */
export function ingestRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: deps.maxBytes }, (_req, body, done) =>
      done(null, body),
    );
    scoped.setErrorHandler(ingestErrorHandler);
    scoped.post(
      "/api/v1/ingest/requests",
      {
        bodyLimit: deps.maxBytes,
        config: { auth: "ingest" },
        schema: {
          tags: ["ingest"],
          summary:
            "Ingest request logs as NDJSON (one request per line); gzip accepted. An `Idempotency-Key` header makes a retried batch count once (its answer is replayed). 429/503 with Retry-After when ingest is at capacity or its database is unreachable.",
          response: { 200: IngestResponse },
        },
      },
      async (req, reply) => {
        const batch = startBatch(req, reply, deps);
        const buf = readBody(req.body, req.headers["content-encoding"], deps.maxBytes);
        const claim = await batch.claim(buf, (res) => res);
        if (claim.replay) return reply.header("idempotent-replayed", "true").send(claim.replay.response);
        if (batch.deps.isGone?.()) throw new ClientGone();
        const parsed = parseNdjson(buf, batch.deps.nowMs);
        const res = await batch.ingest(() => ingestRecords(batch.deps, parsed), claim.claim);
        if ("replay" in res) return reply.header("idempotent-replayed", "true").send(res.replay);
        deps.counter.inc({ result: "accepted" }, res.accepted);
        deps.counter.inc({ result: "rejected" }, res.rejected);
        return res;
      },
    );
  });
}

/** What both ingest paths (NDJSON and OTLP) need. */
export interface IngestRouteDeps {
  db: Db;
  redis: Redis;
  maxBytes: number;
  queuePrefix: string;
  now: () => number;
  counter: Counter<"result">;
  onNewEndpoints?: (serviceIds: string[]) => Promise<void>;
  /** Limits, background writers and the database semaphore (createIngestRuntime); defaults without it. */
  runtime?: IngestRuntime;
}

export interface IngestRuntimeConfig {
  BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: number;
  BURNRATE_INGEST_MAX_INFLIGHT_MB: number;
  BURNRATE_INGEST_MAX_MEMORY_MB: number;
  BURNRATE_INGEST_MAX_EVENT_LOOP_LAG_MS: number;
  BURNRATE_INGEST_DB_CONCURRENCY: number;
  BURNRATE_INGEST_QUEUE_WAIT_MS: number;
  BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE: number;
  BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE: number;
  BURNRATE_IDEMPOTENCY_TTL_HOURS: number;
}

/** One per API process: shared by the NDJSON and OTLP routes. */
export interface IngestRuntime {
  gate: IngestGate;
  dbSlots: Semaphore;
  lastSeen: LastSeenWriter;
  limits: IngestLimits;
  idempotencyTtlHours: number;
  close(): Promise<void>;
}

export function createIngestRuntime(
  db: Db,
  config: IngestRuntimeConfig,
  log: (e: unknown, msg: string) => void = () => undefined,
): IngestRuntime {
  const lastSeen = new LastSeenWriter(db, 2000, (e) => log(e, "last-seen update failed"));
  let purgedAt = 0;
  const ttl = config.BURNRATE_IDEMPOTENCY_TTL_HOURS;
  const purge = setInterval(() => {
    // Expired Idempotency-Keys, a bounded slice at a time.
    if (Date.now() - purgedAt < 10 * 60_000) return;
    purgedAt = Date.now();
    sqlRows(
      db,
      `DELETE FROM ingest_idempotency WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ingest_idempotency WHERE created_at < now() - make_interval(hours => $1::int) LIMIT 10000))`,
      [ttl],
    ).catch((e: unknown) => log(e, "purging expired idempotency keys failed"));
  }, 60_000);
  purge.unref();
  const gate = new IngestGate({
    maxRequests: config.BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS,
    maxBytes: config.BURNRATE_INGEST_MAX_INFLIGHT_MB * 1024 * 1024,
    maxMemoryBytes: config.BURNRATE_INGEST_MAX_MEMORY_MB * 1024 * 1024,
    maxEventLoopLagMs: config.BURNRATE_INGEST_MAX_EVENT_LOOP_LAG_MS,
  });
  return {
    gate,
    dbSlots: new Semaphore(config.BURNRATE_INGEST_DB_CONCURRENCY, config.BURNRATE_INGEST_QUEUE_WAIT_MS),
    lastSeen,
    limits: {
      maxEndpointsPerService: config.BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE,
      maxRegionsPerService: config.BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE,
    },
    idempotencyTtlHours: ttl,
    async close() {
      clearInterval(purge);
      gate.close();
      await lastSeen.close();
    },
  };
}

declare module "fastify" {
  interface FastifyRequest {
    ingestRelease?: () => void;
  }
}

/**
 * Admission of ingest requests, as the first onRequest hook (before authentication reads the database): when
 * the requests or body bytes in flight are at their caps, or memory or the event-loop delay are high, answers
 * 429 with Retry-After at once, without reading the body, and closes the connection.
 */
export function registerIngestAdmission(app: FastifyInstance, gate: IngestGate, maxBodyBytes: number): void {
  app.addHook("onRequest", async (req, reply) => {
    if (req.routeOptions.config?.auth !== "ingest") return;
    const len = Number(req.headers["content-length"]);
    const bytes = Number.isFinite(len) && len >= 0 ? Math.min(len, maxBodyBytes) : maxBodyBytes;
    const entered = gate.tryEnter(bytes);
    if (typeof entered === "string") throw new IngestUnavailable(entered, 1, 429, true);
    req.ingestRelease = entered;
    reply.raw.once("close", entered);
  });
  app.addHook("onResponse", async (req) => req.ingestRelease?.());
}

/** 429/503 with Retry-After for capacity and an unreachable database; everything else goes to the app's handler. */
export function ingestErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  let e: unknown = err;
  if (!(e instanceof IngestUnavailable) && !(e instanceof AppError) && isDbUnavailable(e))
    e = new IngestUnavailable("the database is unreachable; retry later", 5, 503);
  if (e instanceof IngestUnavailable) {
    const body: ErrorBody = { error: { code: e.code, message: e.message, details: e.details } };
    // A body refused unread is not drained (reading what is refused costs about as much as taking it): the
    // connection closes after the answer. Clients read the answer before their upload fails (Node's and Go's
    // HTTP clients do; a sender too busy to read its socket may see a reset instead, as with any server).
    if (e.beforeBody) reply.header("connection", "close");
    return reply.code(e.status).header("retry-after", String(e.retryAfterS)).send(body);
  }
  if (e instanceof ClientGone) {
    req.log.info("ingest batch abandoned: the client went away");
    return reply.code(499).send({ error: { code: "client_gone", message: e.message } });
  }
  throw err;
}

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/** The per-request part of ingest: its deps, the Idempotency-Key, and the replay of a stored answer. */
export function startBatch(req: FastifyRequest, reply: FastifyReply, deps: IngestRouteDeps) {
  let gone = false;
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) gone = true;
  });
  const rt = deps.runtime;
  const ingestDeps: IngestDeps = {
    db: deps.db,
    redis: deps.redis,
    actor: req.actor,
    nowMs: deps.now(),
    queuePrefix: deps.queuePrefix,
    onNewEndpoints: deps.onNewEndpoints,
    limits: rt?.limits,
    lastSeen: rt?.lastSeen,
    dbSlots: rt?.dbSlots,
    isGone: () => gone || req.raw.socket?.destroyed === true,
    log: (e, msg) => req.log.error({ err: e }, msg),
  };
  const header = req.headers["idempotency-key"];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && !KEY_RE.test(key))
    throw new ValidationError(
      "header 'Idempotency-Key': must be 1-255 printable ASCII characters without spaces",
      { field: "Idempotency-Key" },
    );
  const scope = scopeOf(req.actor);
  const ttlHours = rt?.idempotencyTtlHours ?? 24;
  return {
    deps: ingestDeps,
    /** With a key: the stored answer of a batch that used it (replay), or the claim for this batch. */
    async claim(
      body: Buffer,
      wrap: IdempotencyClaim["wrap"],
    ): Promise<{ replay?: { response: unknown }; claim?: IdempotencyClaim }> {
      if (key === undefined) return {};
      const bodyHash = createHash("sha256").update(body).digest("hex");
      const [row] = await sqlRows<{ response: unknown; bodyHash: string }>(
        deps.db,
        `SELECT response, body_hash AS "bodyHash" FROM ingest_idempotency
          WHERE scope = $1 AND key = $2 AND response IS NOT NULL
            AND created_at >= now() - make_interval(hours => $3::int)`,
        [scope, key, ttlHours],
      );
      if (row) return { replay: { response: checkSameBody(row.bodyHash, bodyHash, key, row.response) } };
      const claim = { scope, key, bodyHash, ttlHours, wrap };
      ingestDeps.idempotency = claim;
      return { claim };
    },
    /** Runs the batch; a concurrent twin that stored first is replayed. */
    async ingest<T>(fn: () => Promise<T>, claim?: IdempotencyClaim): Promise<T | { replay: unknown }> {
      try {
        return await fn();
      } catch (e) {
        if (e instanceof IdempotentReplay && claim)
          return { replay: checkSameBody(e.bodyHash, claim.bodyHash, claim.key, e.response) };
        throw e;
      }
    },
  };
}

function checkSameBody(stored: string, mine: string, key: string, response: unknown): unknown {
  if (stored !== mine)
    throw new ConflictError(
      `header 'Idempotency-Key': '${key}' was already used with a different body; use a new key for a new batch`,
      { field: "Idempotency-Key" },
    );
  return response;
}

function scopeOf(actor: Actor | null): string {
  if (!actor) return "anonymous";
  return `${actor.kind}:${actor.id}`;
}

/** The raw body, gunzipped when `Content-Encoding: gzip` (the decompressed size is bounded by 8× the limit). */
export function readBody(body: unknown, encoding: string | string[] | undefined, maxBytes: number): Buffer {
  const buf = (body as Buffer | undefined) ?? Buffer.alloc(0);
  const enc = String(encoding ?? "identity").toLowerCase();
  if (enc === "identity") return buf;
  if (enc !== "gzip")
    throw new AppError(
      "unsupported_media_type",
      `Content-Encoding '${enc}' is not supported; use gzip or none`,
    );
  try {
    return gunzipSync(buf, { maxOutputLength: maxBytes * 8 });
  } catch (e) {
    const tooBig = (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE";
    throw new AppError(
      tooBig ? "payload_too_large" : "validation_error",
      tooBig ? "decompressed body is larger than the limit" : "body is not valid gzip",
    );
  }
}
