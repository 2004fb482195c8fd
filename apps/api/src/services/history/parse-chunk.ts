import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { IngestLineError } from "@burnrate/contracts";
import { HISTORY_HORIZON_MS, RequestBatch, ndjsonSource } from "@burnrate/ingest";

/*
 * A history chunk is hashed and parsed on a thread of its own: the API's main thread stays free for live
 * ingest and the database work, and the two use both cores. The body goes over in shared memory (the pooled
 * buffers of body-pool.ts are SharedArrayBuffers), the records come back as the batch's columns, transferred.
 * Where the thread cannot run (or fails on a body), the chunk is parsed here, as before: the same records and
 * the same errors.
 */

export interface ParseRequest {
  id: number;
  body: Uint8Array;
  nowMs: number;
}

export type ParseResult =
  | {
      id: number;
      ok: true;
      bodyHash: string;
      n: number;
      cols: readonly [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int16Array, Uint8Array];
      errors: IngestLineError[];
      rejected: number;
      services: string[];
      endpoints: { method: string; route: string }[];
      regions: string[];
    }
  | { id: number; ok: false; message: string };

let worker: Worker | null = null;
/** The thread could not start: chunks are parsed on the main thread from then on. */
let unavailable = false;
let nextId = 0;
const pending = new Map<number, (r: ParseResult | null) => void>();

function getWorker(): Worker | null {
  if (unavailable) return null;
  if (worker) return worker;
  // The thread's entry loads its TypeScript through tsx; it takes no V8 or process-wide options.
  const url = new URL("./parse-worker.mjs", import.meta.url);
  let w: Worker;
  try {
    w = new Worker(url, { execArgv: [] });
  } catch {
    unavailable = true;
    return null;
  }
  w.unref();
  w.on("message", (r: ParseResult) => {
    const done = pending.get(r.id);
    pending.delete(r.id);
    done?.(r);
  });
  const fail = () => {
    if (worker === w) worker = null;
    for (const done of pending.values()) done(null);
    pending.clear();
  };
  w.on("error", () => {
    // An error before the first answer: the thread cannot load here (no loader for it): parse on the main thread.
    if (!answered) unavailable = true;
    fail();
  });
  w.on("exit", fail);
  let answered = false;
  w.once("message", () => (answered = true));
  worker = w;
  return w;
}

/** The chunk's sha256 (hex) and its records, parsed as ingest parses them (history horizon: 450 days). */
export async function parseChunk(
  body: Buffer,
  nowMs: number,
): Promise<{ bodyHash: string; batch: RequestBatch }> {
  const w = getWorker();
  if (w) {
    const id = nextId++;
    const r = await new Promise<ParseResult | null>((resolve) => {
      pending.set(id, resolve);
      w.postMessage({ id, body, nowMs } satisfies ParseRequest);
    });
    if (r?.ok) return { bodyHash: r.bodyHash, batch: toBatch(r) };
  }
  return parseHere(body, nowMs);
}

function parseHere(body: Buffer, nowMs: number): { bodyHash: string; batch: RequestBatch } {
  const bodyHash = createHash("sha256").update(body).digest("hex");
  const { batch } = ndjsonSource.read(body, nowMs, { horizonMs: HISTORY_HORIZON_MS });
  return { bodyHash, batch };
}

/** The batch again, from its columns and the scanner's value tables (all the store reads of it). */
function toBatch(r: Extract<ParseResult, { ok: true }>): RequestBatch {
  const b = new RequestBatch(0);
  const [line, service, endpoint, region, minute, status, bucket] = r.cols;
  Object.assign(b, { n: r.n, line, service, endpoint, region, minute, status, bucket, rejected: r.rejected });
  for (const e of r.errors) b.errors.push(e);
  const sc = b.scanner;
  for (const s of r.services) sc.services.push(s);
  for (const e of r.endpoints) sc.endpoints.push(e);
  for (const g of r.regions) sc.regions.push(g);
  return b;
}

/** Whether chunks are parsed on their own thread (false until the first chunk, or where it cannot run). */
export function parsesOnThread(): boolean {
  return worker !== null && !unavailable;
}
