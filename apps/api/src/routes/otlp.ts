import { AppError } from "@burnrate/contracts";
import { encodeExportTraceServiceResponse, type OtlpEncoding } from "@burnrate/ingest";
import type { FastifyInstance } from "fastify";
import { ingestOtlpTraces } from "../services/ingest/otlp";
import { answerBatch, ingestScope, type IngestRouteDeps } from "./ingest";

/**
 * OTLP/HTTP traces (`POST /v1/traces`), so an OpenTelemetry SDK or Collector can export to Burnrate directly.
 * Binary protobuf (`application/x-protobuf`) or JSON (`application/json`), gzip accepted; the response is in
 * the request's encoding, as OTLP/HTTP requires.
 */
export function otlpRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  ingestScope(app, deps, (scoped) =>
    scoped.post(
      "/v1/traces",
      {
        bodyLimit: deps.maxBytes,
        config: { auth: "ingest" },
        schema: {
          tags: ["ingest"],
          summary:
            "OTLP/HTTP traces (protobuf or JSON, gzip accepted): server spans become request records. Answers ExportTraceServiceResponse in the request's encoding; JSON answers also carry accepted/rejected/ignored counts and per-span errors. 429/503 with Retry-After when ingest is at capacity or its database is unreachable; `Idempotency-Key` makes a retry count once.",
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
        const res = await answerBatch(req, reply, deps, (d, body) => ingestOtlpTraces(d, body, encoding));
        if (encoding === "protobuf")
          return reply
            .type("application/x-protobuf")
            .send(Buffer.from(encodeExportTraceServiceResponse(res.partialSuccess)));
        return reply.type("application/json").send(res);
      },
    ),
  );
}
