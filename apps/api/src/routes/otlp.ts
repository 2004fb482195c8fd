import { AppError, OtlpStatusJson, OtlpTracesResponse } from "@burnrate/contracts";
import { z } from "zod";
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
          summary: "Export OTLP traces",
          description:
            "OTLP/HTTP traces (protobuf or JSON, gzip accepted): server spans become request records. Answers ExportTraceServiceResponse in the request's encoding; JSON answers also carry accepted/rejected/ignored counts and per-span errors. A refused request (4xx, 5xx) is answered with a google.rpc.Status in the request's encoding (a JSON one also carries the usual `error` object). 429/503 with Retry-After when ingest is at capacity or its database is unreachable; `Idempotency-Key` makes a retry count once.",
          openapi: OTLP_DOC,
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

/** Binary protobuf, which JSON Schema does not describe: a string of bytes of the named message. */
const protobuf = (message: string) => ({
  schema: { type: "string", contentMediaType: "application/x-protobuf", description: `A ${message}.` },
});

/** Bodies and answers in both OTLP encodings, failures included (a google.rpc.Status). */
const OTLP_DOC = {
  requestBody: {
    description: "ExportTraceServiceRequest; `Content-Encoding: gzip` accepted.",
    content: {
      "application/x-protobuf": protobuf("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"),
      "application/json": {
        schema: z.looseObject({ resourceSpans: z.array(z.looseObject({})).optional() }),
      },
    },
  },
  responses: {
    200: {
      description: "ExportTraceServiceResponse, in the request's encoding.",
      content: {
        "application/x-protobuf": protobuf("ExportTraceServiceResponse"),
        "application/json": { schema: OtlpTracesResponse },
      },
    },
  },
  errorContent: {
    "application/x-protobuf": protobuf("google.rpc.Status"),
    "application/json": { schema: OtlpStatusJson },
  },
};
