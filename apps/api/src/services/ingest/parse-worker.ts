import { parentPort } from "node:worker_threads";
import { RequestBatch, parseNdjson } from "@burnrate/ingest";
import type { ParseJob, ParseReply } from "./parse-pool";

/**
 * An ingest parse thread (started by ParsePool through parse-thread.cjs): parses the NDJSON bodies it is sent,
 * one at a time, with the same parser the main thread uses, and sends each batch back as data, its columns
 * transferred.
 */
const port = parentPort;
if (!port) throw new Error("parse-worker.ts runs in a worker thread");

port.on("message", (job: ParseJob) => {
  let reply: ParseReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const body = new Uint8Array(job.body, job.offset, job.length);
    const data = parseNdjson(body, job.nowMs, { horizonMs: job.horizonMs }).toData();
    transfer = RequestBatch.transferList(data);
    reply = { id: job.id, data };
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
