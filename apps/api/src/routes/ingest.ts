import { gunzipSync } from "node:zlib";
import { AppError, IngestResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Counter } from "prom-client";
import { ingestRecords, parseNdjson } from "../services/ingest";

/** NDJSON ingest. Accepts any content type (NDJSON is often sent as text/plain) and gzip bodies. */
export function ingestRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: deps.maxBytes }, (_req, body, done) =>
      done(null, body),
    );
    scoped.post(
      "/api/v1/ingest/requests",
      {
        bodyLimit: deps.maxBytes,
        config: { auth: "ingest" },
        schema: {
          tags: ["ingest"],
          summary: "Ingest request logs as NDJSON (one request per line); gzip accepted",
          response: { 200: IngestResponse },
        },
      },
      async (req) => {
        const buf = readBody(req.body, req.headers["content-encoding"], deps.maxBytes);
        const nowMs = deps.now();
        const parsed = parseNdjson(buf, nowMs);
        const res = await ingestRecords(
          {
            db: deps.db,
            redis: deps.redis,
            actor: req.actor,
            nowMs,
            queuePrefix: deps.queuePrefix,
            onNewEndpoints: deps.onNewEndpoints,
          },
          parsed,
        );
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
