import { z } from "zod";

/** One request record after validation. */
export interface RequestRecord {
  tsMs: number;
  service: string;
  method: string;
  route: string;
  region: string;
  status: number;
  durationMs: number;
}

export const IngestResponse = z.object({
  accepted: z.number(),
  rejected: z.number(),
  errors: z.array(z.object({ line: z.number(), field: z.string().optional(), message: z.string() })),
  errorsTruncated: z.boolean().optional(),
});
export type IngestResponse = z.infer<typeof IngestResponse>;
export type IngestLineError = IngestResponse["errors"][number];

/**
 * One chunk of a history import (`POST /api/v1/history/imports/:importId/chunks/:seq`): the ingest counts
 * (`line` within the chunk), the rollup rows written at minute and hour resolution, and the services touched.
 */
export const HistoryChunkResponse = IngestResponse.extend({
  minuteRows: z.number().int(),
  hourRows: z.number().int(),
  services: z.array(z.string()),
});
export type HistoryChunkResponse = z.infer<typeof HistoryChunkResponse>;

/** The end of a history import: its totals over every stored chunk, and the SLO backfills queued. */
export const HistoryFinishResponse = z.object({
  importId: z.string(),
  chunks: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
  services: z.array(z.string()),
  backfills: z.array(z.object({ sloId: z.string(), service: z.string(), name: z.string() })),
});
export type HistoryFinishResponse = z.infer<typeof HistoryFinishResponse>;

/** The JSON answer to OTLP/HTTP traces: ExportTraceServiceResponse plus Burnrate's counts (`line` = span position). */
export const OtlpTracesResponse = IngestResponse.extend({
  partialSuccess: z.object({ rejectedSpans: z.number().int(), errorMessage: z.string() }).optional(),
  ignored: z.number().int(),
});

/** A failed OTLP/HTTP request, JSON encoding: google.rpc.Status (protobuf's JSON mapping) with the API's error. */
export const OtlpStatusJson = z.object({
  code: z.number().int(),
  message: z.string(),
  details: z.array(
    z.union([
      z.object({
        "@type": z.literal("type.googleapis.com/google.rpc.ErrorInfo"),
        reason: z.string(),
        domain: z.string(),
        metadata: z.record(z.string(), z.string()),
      }),
      z.object({
        "@type": z.literal("type.googleapis.com/google.rpc.BadRequest"),
        fieldViolations: z.array(z.object({ field: z.string(), description: z.string() })),
      }),
      z.object({ "@type": z.literal("type.googleapis.com/google.rpc.RetryInfo"), retryDelay: z.string() }),
    ]),
  ),
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
