import { AppError } from "@burnrate/contracts";
import { encodeExportTraceServiceResponse } from "@burnrate/ingest";
import type { FastifyInstance } from "fastify";
import { ingestOtlpTraces } from "../services/ingest/otlp";
import { answerBatch, ingestScope, type IngestRouteDeps } from "./ingest";
import {
  OTLP_TRACES_PATH,
  mediaType,
  otlpAnswerEncoding,
  otlpFailureBody,
  otlpRequestEncoding,
} from "./otlp-status";

/**
 * OTLP/HTTP traces (`POST /v1/traces`), so an OpenTelemetry SDK or Collector can export to Burnrate directly.
 * Binary protobuf (`application/x-protobuf`) or JSON (`application/json`), gzip accepted; the response is in
 * the request's encoding, as OTLP/HTTP requires, failures (4xx, 5xx) included: a `google.rpc.Status`.
 */
export function otlpRoutes(app: FastifyInstance, deps: IngestRouteDeps): void {
  ingestScope(app, deps, (scoped) => {
    scoped.addHook("onSend", async (req, reply, payload) => {
      if (reply.statusCode < 400) return payload;
      const encoding = otlpAnswerEncoding(req.headers["content-type"], req.headers.accept);
      const { body, contentType } = otlpFailureBody(
        reply.statusCode,
        payload,
        encoding,
        Number(reply.getHeader("retry-after") ?? Number.NaN),
      );
      reply.type(contentType);
      return body;
    });
    scoped.post(
      OTLP_TRACES_PATH,
      {
        bodyLimit: deps.maxBytes,
        config: { auth: "ingest" },
        schema: {
          tags: ["ingest"],
          summary:
            "OTLP/HTTP traces (protobuf or JSON, gzip accepted): server spans become request records. Answers ExportTraceServiceResponse in the request's encoding; JSON answers also carry accepted/rejected/ignored counts and per-span errors. A refused request (4xx, 5xx) is answered with a google.rpc.Status in the request's encoding (a JSON one also carries the usual `error` object). 429/503 with Retry-After when ingest is at capacity or its database is unreachable; `Idempotency-Key` makes a retry count once.",
        },
      },
      async (req, reply) => {
        const encoding = otlpRequestEncoding(req.headers["content-type"]);
        if (encoding === null)
          throw new AppError(
            "unsupported_media_type",
            `Content-Type '${mediaType(req.headers["content-type"])}' is not OTLP: use application/x-protobuf or application/json`,
          );
        const res = await answerBatch(req, reply, deps, (d, body) => ingestOtlpTraces(d, body, encoding));
        if (encoding === "protobuf")
          return reply
            .type("application/x-protobuf")
            .send(Buffer.from(encodeExportTraceServiceResponse(res.partialSuccess)));
        return reply.type("application/json").send(res);
      },
    );
  });
}
