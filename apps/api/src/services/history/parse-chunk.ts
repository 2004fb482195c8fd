import { createHash } from "node:crypto";
import { HISTORY_HORIZON_MS, ndjsonSource, type RequestBatch } from "@burnrate/ingest";
import type { ParsePool } from "../ingest/parse-pool";

/**
 * A chunk's sha256 (hex) and its records, parsed as ingest parses them (history horizon: 450 days), from the
 * pieces its body arrived in. On the history parse thread when there is one: the pieces move there (they are
 * empty afterwards) and are read there one after another, so the main thread neither copies the body nor keeps its memory, and
 * stays free for live ingest and the database work of the chunk before; the two use both cores. Else here, with
 * the same records, errors and hash.
 */
export async function parseChunk(
  pool: ParsePool | null | undefined,
  pieces: readonly Buffer[],
  nowMs: number,
): Promise<{ bodyHash: string; batch: RequestBatch }> {
  const onThread = pool?.parseHashed(pieces, nowMs, HISTORY_HORIZON_MS);
  if (onThread) return onThread;
  const body = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
  const bodyHash = createHash("sha256").update(body).digest("hex");
  const { batch } = ndjsonSource.read(body, nowMs, { horizonMs: HISTORY_HORIZON_MS });
  return { bodyHash, batch };
}
