import { createHash } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import { AppError, IngestResponse, ValidationError, type ErrorBody } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import {
  errorCodes,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Redis } from "ioredis";
import { z } from "zod";
import type { Counter } from "prom-client";
import type { IngestRuntime } from "../services/ingest/create-runtime";
import {
  IdempotentReplay,
  checkSameBody,
  findStoredAnswer,
  idempotencyScope,
  type IdempotencyClaim,
} from "../services/ingest/idempotency";
import type { IngestDeps } from "../services/ingest/ingest-records";
import { ingestNdjson } from "../services/ingest/ndjson";
import { ClientGone, IngestGate, IngestUnavailable, isDbUnavailable } from "../services/ingest/runtime";
import { OTLP_TRACES_PATH, otlpAnswerEncoding, otlpFailureBody } from "./otlp-status";

/** NDJSON ingest. Accepts any content type (NDJSON is often sent as text/plain) and gzip bodies. */
export function ingestRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  ingestScope(app, deps, (scoped) =>
    scoped.post(
      NDJSON_PATH,
      {
        bodyLimit: deps.maxBytes,
        config: { auth: "ingest" },
        schema: {
          tags: ["ingest"],
          summary: "Ingest request records (NDJSON)",
          description:
            "Ingest request logs as NDJSON (one request per line); gzip accepted. An `Idempotency-Key` header makes a retried batch count once (its answer is replayed). 429/503 with Retry-After when ingest is at capacity or its database is unreachable.",
          response: { 200: IngestResponse },
          openapi: {
            requestBody: {
              description:
                "NDJSON, one request record per line: `ts` (ISO 8601 or epoch ms), `service`, `method`, `route`, `region`, `status`, `durationMs`. Any Content-Type; `Content-Encoding: gzip` accepted.",
              content: { "application/x-ndjson": { schema: z.string() } },
            },
          },
        },
      },
      async (req, reply) => answerBatch(req, reply, deps, ingestNdjson),
    ),
  );
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

/**
 * A scope for ingest routes: bodies of any content type arrive raw (a Buffer, up to `maxBytes`), and errors go
 * through ingestErrorHandler.
 */
export function ingestScope(
  app: FastifyInstance,
  deps: IngestRouteDeps,
  routes: (scoped: FastifyInstance) => void,
): void {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", { bodyLimit: deps.maxBytes }, (req, payload, done) =>
      readRawBody(
        req,
        payload,
        deps.maxBytes,
        (n) => (pooled(req) ? deps.runtime?.parsePool?.takeBody(n) : null) ?? null,
        done,
        req.routeOptions.url === HISTORY_CHUNK_PATH,
      ),
    );
    scoped.setErrorHandler(ingestErrorHandler);
    routes(scoped);
  });
}

/** NDJSON ingest bodies go to the parse threads: they are read into the threads' pooled buffers. */
const pooled = (req: FastifyRequest) => req.routeOptions.url === NDJSON_PATH;
const NDJSON_PATH = "/api/v1/ingest/requests";
/** History chunks are kept in the pieces they arrive in (`Buffer[]`): they go to the history parse thread so. */
export const HISTORY_CHUNK_PATH = "/api/v1/history/imports/:importId/chunks/:seq";

/**
 * A request body's pieces as they arrive. A body sent in many tiny chunks (chunked encoding, a byte at a time)
 * would cost an object and an allocation per piece, many times its size in memory: every MERGE_RUN pieces that
 * average under MERGE_BELOW bytes are joined into one. The pieces of a normal stream (the socket's reads, up to
 * 64 KiB each) are kept as they are, not copied.
 */
export class BodyPieces {
  readonly pieces: Buffer[] = [];
  /** Pieces since the last merge (or the last run of large ones), and their bytes. */
  private run = 0;
  private runBytes = 0;

  push(c: Buffer): void {
    this.pieces.push(c);
    this.run++;
    this.runBytes += c.length;
    if (this.run < MERGE_RUN) return;
    if (this.runBytes < MERGE_RUN * MERGE_BELOW)
      this.pieces.push(Buffer.concat(this.pieces.splice(-this.run), this.runBytes));
    this.run = 0;
    this.runBytes = 0;
  }
}
const MERGE_RUN = 256;
const MERGE_BELOW = 4096;

/**
 * The body as one Buffer, as Fastify's `parseAs: "buffer"` reads it (413 past `limit`, 400 when it is not
 * Content-Length bytes), but read straight into a buffer of its declared length, from the parse threads' pool
 * when there is one (`take`): no copy of the chunks at the end, and no new memory per batch. With `pieces`, the
 * body is the array of the chunks as they arrived, not joined.
 */
function readRawBody(
  req: FastifyRequest,
  payload: NodeJS.ReadableStream,
  limit: number,
  take: (length: number) => Buffer | null,
  done: (err: Error | null, body?: Buffer | Buffer[]) => void,
  pieces = false,
): void {
  const contentLength = Number(req.headers["content-length"]);
  if (contentLength > limit) return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
  const into =
    !pieces && Number.isSafeInteger(contentLength) && contentLength > 0 ? take(contentLength) : null;
  const kept = new BodyPieces();
  let received = 0;
  const stop = () => {
    payload.removeListener("data", onData);
    payload.removeListener("end", onEnd);
    payload.removeListener("error", onEnd);
  };
  function onData(chunk: Buffer | string) {
    const c = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    received += c.length;
    if (received > limit) {
      stop();
      return done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    }
    if (!into) kept.push(c);
    else if (received <= into.length) c.copy(into, received - c.length);
  }
  function onEnd(err?: Error & { statusCode?: number }) {
    stop();
    if (err) {
      if (!(typeof err.statusCode === "number" && err.statusCode >= 400)) err.statusCode = 400;
      return done(err);
    }
    if (!Number.isNaN(contentLength) && received !== contentLength)
      return done(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
    const chunks = kept.pieces;
    if (pieces) return done(null, chunks);
    done(null, into ?? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
  }
  payload.on("data", onData);
  payload.on("end", onEnd);
  payload.on("error", onEnd);
  payload.resume();
}

/**
 * One ingest request, whatever its format: the stored answer when its Idempotency-Key was used before
 * (`Idempotent-Replayed: true`), else `ingest`'s answer for the (gunzipped) body, counted in the metrics.
 */
export async function answerBatch<T extends { accepted: number; rejected: number }>(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: IngestRouteDeps,
  ingest: (deps: IngestDeps, body: Buffer) => Promise<T>,
): Promise<T> {
  const batch = startBatch(req, reply, deps);
  const buf = readBody(req.body, req.headers["content-encoding"], deps.maxBytes);
  const claim = await batch.claim(buf, (res) => res);
  if (claim.replay) {
    reply.header("idempotent-replayed", "true");
    return claim.replay.response as T;
  }
  if (batch.deps.isGone?.()) throw new ClientGone();
  const res = await batch.ingest(() => ingest(batch.deps, buf), claim.claim);
  if ("replay" in res) {
    reply.header("idempotent-replayed", "true");
    return res.replay as T;
  }
  deps.counter.inc({ result: "accepted" }, res.accepted);
  deps.counter.inc({ result: "rejected" }, res.rejected);
  return res;
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
 *
 * A client that sends `Expect: 100-continue` (curl does for large bodies) is admitted before it uploads: the
 * refusal is the final answer to its headers, so a refused batch costs neither side its upload; an admitted one
 * gets `100 Continue` and then takes the usual path with its slot already held.
 */
export function registerIngestAdmission(app: FastifyInstance, gate: IngestGate, maxBodyBytes: number): void {
  const bodyBytes = (headers: IncomingHttpHeaders) => {
    const len = Number(headers["content-length"]);
    return Number.isFinite(len) && len >= 0 ? Math.min(len, maxBodyBytes) : maxBodyBytes;
  };
  /** Slots taken while answering `Expect: 100-continue`, handed to the onRequest hook. */
  const admitted = new WeakMap<IncomingMessage, () => void>();
  let ingestPaths: Set<string> | undefined;
  app.server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    ingestPaths ??= new Set(
      app.apiRoutes.filter((r) => r.auth === "ingest").map((r) => `${r.method} ${r.url}`),
    );
    if (ingestPaths.has(`${req.method} ${(req.url ?? "").split("?")[0]}`)) {
      const entered = gate.tryEnter(bodyBytes(req.headers));
      if (typeof entered === "string") {
        const e = new IngestUnavailable(entered, 1, 429, true);
        let body: string | Buffer = JSON.stringify({
          error: { code: e.code, message: e.message, details: e.details },
        });
        let contentType = "application/json; charset=utf-8";
        if ((req.url ?? "").split("?")[0] === OTLP_TRACES_PATH) {
          // OTLP/HTTP answers a google.rpc.Status in the request's encoding.
          const encoding = otlpAnswerEncoding(req.headers["content-type"], req.headers.accept);
          ({ body, contentType } = otlpFailureBody(e.status, body, encoding, e.retryAfterS));
        }
        res.writeHead(e.status, {
          "content-type": contentType,
          "content-length": Buffer.byteLength(body),
          "retry-after": String(e.retryAfterS),
          connection: "close",
        });
        res.end(body);
        return;
      }
      admitted.set(req, entered);
      res.once("close", entered);
    }
    res.writeContinue();
    app.server.emit("request", req, res);
  });
  app.addHook("onRequest", async (req, reply) => {
    if (req.routeOptions.config?.auth !== "ingest") return;
    const held = admitted.get(req.raw);
    const entered = held ?? gate.tryEnter(bodyBytes(req.headers));
    if (typeof entered === "string") throw new IngestUnavailable(entered, 1, 429, true);
    req.ingestRelease = entered;
    if (!held) reply.raw.once("close", entered);
  });
  app.addHook("onResponse", async (req) => req.ingestRelease?.());
}

/** 429/503 with Retry-After for capacity and an unreachable database; everything else goes to the app's handler. */
/** Refused bodies up to this size are read and dropped rather than cut off (see ingestErrorHandler). */
const DRAIN_MAX_BYTES = 4 * 1024 * 1024;

function ingestErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  let e: unknown = err;
  if (!(e instanceof IngestUnavailable) && !(e instanceof AppError) && isDbUnavailable(e))
    e = new IngestUnavailable("the database is unreachable; retry later", 5, 503);
  if (e instanceof IngestUnavailable) {
    const body: ErrorBody = { error: { code: e.code, message: e.message, details: e.details } };
    // A body refused unread: one of a declared length up to DRAIN_MAX_BYTES is read and dropped after the
    // answer (Node does it, and the connection stays open), so the client finishes its upload and reads the
    // answer; dropping bytes costs a small fraction of parsing them. A larger or undeclared one is not read:
    // the connection closes after the answer (a client still writing may then see a reset).
    if (e.beforeBody && !(Number(req.headers["content-length"]) <= DRAIN_MAX_BYTES))
      reply.header("connection", "close");
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
function startBatch(req: FastifyRequest, reply: FastifyReply, deps: IngestRouteDeps) {
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
    parsePool: rt?.parsePool,
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
  const scope = idempotencyScope(req.actor);
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
      const row = await findStoredAnswer(deps.db, scope, key, ttlHours);
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

/** As readBody, as pieces: the body's own pieces when it is not compressed (not joined: no copy). */
export function readBodyPieces(
  body: unknown,
  encoding: string | string[] | undefined,
  maxBytes: number,
): Buffer[] {
  const identity = String(encoding ?? "identity").toLowerCase() === "identity";
  if (identity && Array.isArray(body)) return body as Buffer[];
  return [readBody(body, encoding, maxBytes)];
}

/**
 * The raw body (a Buffer, or the pieces of one), gunzipped when `Content-Encoding: gzip` (the decompressed size
 * is bounded by 8× the limit).
 */
export function readBody(body: unknown, encoding: string | string[] | undefined, maxBytes: number): Buffer {
  const raw = (body as Buffer | Buffer[] | undefined) ?? Buffer.alloc(0);
  const buf = Array.isArray(raw) ? Buffer.concat(raw) : raw;
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
