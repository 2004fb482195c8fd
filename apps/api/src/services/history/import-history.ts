import { NotFoundError, type HistoryChunkResponse, type HistoryFinishResponse } from "@burnrate/contracts";
import { minuteDetailFromMs, sqlRows, type Db } from "@burnrate/db";
import { ndjsonSource } from "@burnrate/ingest";
import type { Enqueue } from "@burnrate/jobs";
import type { Actor } from "../../auth/actor";
import {
  HISTORY_KEY_TTL_HOURS,
  IdempotentReplay,
  checkSameBody,
  findStoredAnswer,
  idempotencyScope,
  type IdempotencyClaim,
} from "../ingest/idempotency";
import type { ParsePool } from "../ingest/parse-pool";
import { parseChunk } from "./parse-chunk";
import { storeHistoryBatch, type HistoryBatchDeps } from "./history-batch";

/*
 * A history import is a series of chunks (`seq` 0, 1, …) of one import id, each an NDJSON body stored like an
 * ingest batch with an Idempotency-Key (`<importId>-<seq>`): its rollups and its answer commit in one
 * transaction, so a chunk sent again (its answer was lost, the client crashed before its checkpoint) is
 * answered from the stored answer and counts nothing. Its keys are kept HISTORY_KEY_TTL_HOURS (30 days).
 */

/** The idempotency scope of a caller's history chunks (apart from its ingest keys, which expire in a day). */
export function historyScope(actor: Actor | null): string {
  return `history:${idempotencyScope(actor)}`;
}

export interface HistoryChunkDeps extends Omit<
  HistoryBatchDeps,
  "idempotency" | "fieldNames" | "detailFromMs"
> {
  nowMs: number;
  importId: string;
  seq: number;
  /** The history parse thread (IngestRuntime.historyPool); without one, chunks are parsed here. */
  parsePool?: ParsePool | null;
}

/**
 * Stores one chunk of a history import: records up to 450 days old, those before the minute retention's cutoff
 * into the hour rollups, the rest into the minute rollups. `pieces` is the body as it arrived (moved to the
 * parse thread: empty afterwards). `replayed` when the chunk was stored before.
 */
export async function importHistoryChunk(
  deps: HistoryChunkDeps,
  pieces: readonly Buffer[],
): Promise<{ res: HistoryChunkResponse; replayed: boolean }> {
  const scope = historyScope(deps.actor);
  const key = `${deps.importId}-${deps.seq}`;
  const { bodyHash, batch } = await parseChunk(deps.parsePool, pieces, deps.nowMs);
  const stored = await findStoredAnswer(deps.db, scope, key, HISTORY_KEY_TTL_HOURS);
  if (stored)
    return {
      res: checkSameBody(stored.bodyHash, bodyHash, chunkName(deps), stored.response) as HistoryChunkResponse,
      replayed: true,
    };
  const claim: IdempotencyClaim = { scope, key, bodyHash, ttlHours: HISTORY_KEY_TTL_HOURS, wrap: (r) => r };
  try {
    const res = await storeHistoryBatch(
      {
        ...deps,
        fieldNames: ndjsonSource.fieldNames,
        idempotency: claim,
        detailFromMs: minuteDetailFromMs(deps.nowMs),
      },
      batch,
    );
    return { res, replayed: false };
  } catch (e) {
    // A twin of this chunk (sent again while the first was still running) stored first.
    if (e instanceof IdempotentReplay)
      return {
        res: checkSameBody(e.bodyHash, bodyHash, chunkName(deps), e.response) as HistoryChunkResponse,
        replayed: true,
      };
    throw e;
  }
}

const chunkName = (d: { importId: string; seq: number }) => `chunk ${d.seq} of import ${d.importId}`;

/**
 * Ends a history import: the totals of its stored chunks, and one backfill of every SLO of the services it
 * touched (the backfill queue's own slots and rate, so the live evaluation is not held up). Calling it again
 * queues nothing new (the backfill's job id names the import).
 */
export async function finishHistoryImport(
  deps: { db: Db; enqueue: Enqueue; actor: Actor | null },
  importId: string,
): Promise<HistoryFinishResponse> {
  const rows = await sqlRows<{ response: HistoryChunkResponse }>(
    deps.db,
    `SELECT response FROM ingest_idempotency
      WHERE scope = $1 AND key LIKE $2 AND response IS NOT NULL
        AND created_at >= now() - make_interval(hours => $3::int)`,
    [historyScope(deps.actor), `${importId}-%`, HISTORY_KEY_TTL_HOURS],
  );
  if (rows.length === 0) throw new NotFoundError("history import (no chunk stored by this caller)", importId);
  let accepted = 0;
  let rejected = 0;
  const services = new Set<string>();
  for (const { response: r } of rows) {
    accepted += r.accepted;
    rejected += r.rejected;
    for (const s of r.services ?? []) services.add(s);
  }
  const slos = await deps.db.slo.findMany({
    where: { service: { slug: { in: [...services] } } },
    select: { id: true, name: true, version: true, service: { select: { slug: true } } },
    orderBy: { id: "asc" },
  });
  for (const s of slos)
    await deps.enqueue("slo.backfill", { sloId: s.id, version: s.version, cause: `history-${importId}` });
  return {
    importId,
    chunks: rows.length,
    accepted,
    rejected,
    services: [...services].sort(),
    backfills: slos.map((s) => ({ sloId: s.id, service: s.service.slug, name: s.name })),
  };
}
