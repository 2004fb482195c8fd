import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { NdjsonParser, RequestBatch, parseNdjson } from "@burnrate/ingest";
import type { ParseJob, ParseReply } from "./parse-pool";

/**
 * An ingest parse thread (started by ParsePool, bundled: parse-thread-code.ts): parses the NDJSON bodies it is sent,
 * one at a time, with the same parser the main thread uses, and sends each batch back as data, its columns
 * transferred (with the body's sha256 when asked: a history chunk's).
 */
const port = parentPort;
if (!port) throw new Error("parse-worker.ts runs in a worker thread");

port.on("message", (job: ParseJob) => {
  let reply: ParseReply;
  let transfer: ArrayBuffer[] = [];
  try {
    let batch: RequestBatch;
    let bodyHash: string | undefined;
    if (job.pieces) {
      // Piece by piece, as they arrived: the parser puts a line split between two pieces back together.
      const hash = job.hash ? createHash("sha256") : null;
      const parser = new NdjsonParser(job.nowMs, { horizonMs: job.horizonMs, expectedBytes: job.length });
      for (const p of job.pieces) {
        const piece = Buffer.from(p);
        hash?.update(piece);
        parser.write(piece);
      }
      batch = parser.end();
      bodyHash = hash?.digest("hex");
    } else {
      const body = new Uint8Array(job.body, job.offset, job.length);
      bodyHash = job.hash ? createHash("sha256").update(body).digest("hex") : undefined;
      batch = parseNdjson(body, job.nowMs, { horizonMs: job.horizonMs });
    }
    const data = batch.toData();
    transfer = RequestBatch.transferList(data);
    reply = { id: job.id, data, ...(bodyHash ? { bodyHash } : {}) };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  // A pooled body's buffer goes back for the next body (the parser keeps nothing of it).
  if (job.pooled) {
    reply.body = job.body;
    transfer.push(job.body);
  }
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true });
