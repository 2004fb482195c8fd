import { createHash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { RequestBatch, parseNdjson } from "@burnrate/ingest";
import type { ParseJob, ParseReply } from "./parse-pool";

/**
 * An ingest parse thread (started by ParsePool through parse-thread.cjs): parses the NDJSON bodies it is sent,
 * one at a time, with the same parser the main thread uses, and sends each batch back as data, its columns
 * transferred (with the body's sha256 when asked: a history chunk's).
 */
const port = parentPort;
if (!port) throw new Error("parse-worker.ts runs in a worker thread");

port.on("message", (job: ParseJob) => {
  let reply: ParseReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const body = job.pieces
      ? joined(job.pieces, job.length)
      : new Uint8Array(job.body, job.offset, job.length);
    const bodyHash = job.hash ? createHash("sha256").update(body).digest("hex") : undefined;
    const data = parseNdjson(body, job.nowMs, { horizonMs: job.horizonMs }).toData();
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

/** The thread's buffer for bodies that come in pieces: grown to the largest so far, reused. */
let joinBuf = new Uint8Array(0);

/** The pieces one after another, in joinBuf (good until the next body). */
function joined(pieces: ArrayBuffer[], length: number): Uint8Array {
  if (joinBuf.length < length) joinBuf = new Uint8Array(Math.ceil(length / 2 ** 20) * 2 ** 20);
  let at = 0;
  for (const p of pieces) {
    joinBuf.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return joinBuf.subarray(0, length);
}
