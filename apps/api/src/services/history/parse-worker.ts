/*
 * The history chunk parser's thread: a chunk's body (shared memory, not copied) in; its sha256 and its records
 * as columns (transferred, not copied) out. See parse-chunk.ts.
 */
import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { HISTORY_HORIZON_MS, ndjsonSource } from "@burnrate/ingest";
import type { ParseRequest, ParseResult } from "./parse-chunk";

parentPort!.on("message", (m: ParseRequest) => {
  try {
    const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
    const bodyHash = createHash("sha256").update(body).digest("hex");
    const { batch: b } = ndjsonSource.read(body, m.nowMs, { horizonMs: HISTORY_HORIZON_MS });
    const cols = [b.line, b.service, b.endpoint, b.region, b.minute, b.status, b.bucket] as const;
    const res: ParseResult = {
      id: m.id,
      ok: true,
      bodyHash,
      n: b.n,
      cols,
      errors: b.errors,
      rejected: b.rejected,
      services: b.scanner.services,
      endpoints: b.scanner.endpoints,
      regions: b.scanner.regions,
    };
    parentPort!.postMessage(
      res,
      cols.map((c) => c.buffer as ArrayBuffer),
    );
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, message: String((e as Error)?.message ?? e) });
  }
});
