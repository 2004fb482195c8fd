import { AppError, encodeExportTraceServiceResponse } from "@burnrate/contracts";
import type { FastifyInstance } from "fastify";
import { ingestOtlpTraces, type OtlpEncoding } from "../services/otlp";
import { readBody, type IngestRouteDeps } from "./ingest";

/**
 * OTLP/HTTP traces (`POST /v1/traces`), so an OpenTelemetry SDK or Collector can export to Burnrate directly.
 * Binary protobuf (`application/x-protobuf`) or JSON (`application/json`), gzip accepted; the response is in
 * the request's encoding, as OTLP/HTTP requires.
 */
export function otlpRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: deps.maxBytes }, (_req, body, done) =>
      done(null, body),
    );
    scoped.post(
      "/v1/traces",
      {
        bodyLimit: deps.maxBytes,
        config: { auth: "ingest" },
        schema: {
          tags: ["ingest"],
          summary:
            "OTLP/HTTP traces (protobuf or JSON, gzip accepted): server spans become request records. Answers ExportTraceServiceResponse in the request's encoding; JSON answers also carry accepted/rejected/ignored counts and per-span errors.",
        },
      },
      async (req, reply) => {
        const type = String(req.headers["content-type"] ?? "")
          .split(";")[0]!
          .trim()
          .toLowerCase();
        let encoding: OtlpEncoding;
        if (type === "application/x-protobuf" || type === "application/protobuf") encoding = "protobuf";
        else if (type === "application/json" || type === "") encoding = "json";
        else
          throw new AppError(
            "unsupported_media_type",
            `Content-Type '${type}' is not OTLP: use application/x-protobuf or application/json`,
          );
        const buf = readBody(req.body, req.headers["content-encoding"], deps.maxBytes);
        const nowMs = deps.now();
        const res = await ingestOtlpTraces(
          {
            db: deps.db,
            redis: deps.redis,
            actor: req.actor,
            nowMs,
            queuePrefix: deps.queuePrefix,
            onNewEndpoints: deps.onNewEndpoints,
          },
          buf,
          encoding,
        );
        deps.counter.inc({ result: "accepted" }, res.accepted);
        deps.counter.inc({ result: "rejected" }, res.rejected);
        if (encoding === "protobuf")
          return reply
            .type("application/x-protobuf")
            .send(Buffer.from(encodeExportTraceServiceResponse(res.partialSuccess)));
        return reply.type("application/json").send(res);
      },
    );
  });
}
