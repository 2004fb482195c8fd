import { HistoryChunkResponse, HistoryFinishResponse } from "@burnrate/contracts";
import type { Enqueue } from "@burnrate/jobs";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { finishHistoryImport, importHistoryChunk } from "../services/history/import-history";
import type { Semaphore } from "../services/ingest/runtime";
import { HISTORY_CHUNK_PATH, ingestScope, readBodyPieces, type IngestRouteDeps } from "./ingest";

/** An import id: chosen by the client (the CLI takes a random one and keeps it in its checkpoint). */
const ImportId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, "importId: 8-64 letters, digits, '-' or '_'")
  .describe("the import's id, chosen by the client (8-64 letters, digits, '-' or '_')");
const ChunkParams = z.object({
  importId: ImportId,
  seq: z.coerce
    .number({ error: "seq: a chunk number 0-10000000" })
    .int("seq: a whole chunk number")
    .min(0, "seq: 0 or more")
    .max(10_000_000, "seq: at most 10000000")
    .describe("the chunk's number within the import, from 0"),
});

export interface HistoryRouteDeps extends IngestRouteDeps {
  enqueue: Enqueue;
  /** History chunks that use the database at once (apart from live ingest's slots). */
  historySlots: Semaphore;
}

/**
 * Bulk import of request history (`burnrate import-history`), with its own token scope `history:write`:
 * chunks of NDJSON up to 450 days old, written straight into the minute and hour rollups, then one backfill of
 * every SLO of the services the import touched.
 */
export function historyRoutes(app: FastifyInstance, deps: HistoryRouteDeps): void {
  // Chunk bodies are kept in the pieces they arrive in (ingestScope), which move to the history parse thread.
  ingestScope(app, deps, (scoped) => chunkRoute(scoped, deps));

  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/v1/history/imports/:importId/finish",
    {
      config: { auth: "history:write" },
      schema: {
        tags: ["ingest"],
        summary: "Finish a history import: its totals, and a backfill of every SLO it touched",
        description:
          "Sums the stored chunks of the import and queues one backfill of every SLO of the services they touched (on the backfill queue, at its bounded rate). Calling it again queues nothing new.",
        params: z.object({ importId: ImportId }),
        response: { 200: HistoryFinishResponse },
      },
    },
    async (req) =>
      finishHistoryImport({ db: deps.db, enqueue: deps.enqueue, actor: req.actor }, req.params.importId),
  );
}

/** The chunk route. */
function chunkRoute(scope: FastifyInstance, deps: HistoryRouteDeps): void {
  scope.withTypeProvider<ZodTypeProvider>().post(
    HISTORY_CHUNK_PATH,
    {
      bodyLimit: deps.maxBytes,
      config: { auth: "history:write" },
      schema: {
        tags: ["ingest"],
        summary: "Import one chunk of request history (NDJSON, up to 450 days old)",
        description:
          "One chunk of a history import: NDJSON request records (the ingest format) up to 450 days old; gzip accepted. Records older than the minute retention (8 days) go into the hour rollups, newer ones into the minute rollups; the live evaluation is not told (the import's backfills recompute the SLOs). Sending a chunk again (same import id and number, same body) counts nothing and answers the stored answer with `Idempotent-Replayed: true`; the same number with another body is a 409. 503 with Retry-After when history chunks have waited too long for their database slot (BURNRATE_HISTORY_QUEUE_WAIT_MS).",
        params: ChunkParams,
        response: { 200: HistoryChunkResponse },
        openapi: {
          requestBody: {
            description:
              "NDJSON, one request record per line: `ts` (ISO 8601 or epoch ms, at most 450 days old), `service`, `method`, `route` (or `endpoint`), `region`, `status`, `durationMs`. Any Content-Type; `Content-Encoding: gzip` accepted. Error lines are numbered within the chunk.",
            content: { "application/x-ndjson": { schema: z.string() } },
          },
        },
      },
    },
    async (req, reply) => {
      const pieces = readBodyPieces(req.body, req.headers["content-encoding"], deps.maxBytes);
      let gone = false;
      reply.raw.once("close", () => {
        if (!reply.raw.writableFinished) gone = true;
      });
      const { res, replayed } = await importHistoryChunk(
        {
          db: deps.db,
          actor: req.actor,
          nowMs: deps.now(),
          onNewEndpoints: deps.onNewEndpoints,
          limits: deps.runtime?.limits,
          dbSlots: deps.historySlots,
          parsePool: deps.runtime?.historyPool,
          isGone: () => gone || req.raw.socket?.destroyed === true,
          log: (e, msg) => req.log.error({ err: e }, msg),
          importId: req.params.importId,
          seq: req.params.seq,
        },
        pieces,
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return res;
    },
  );
}
