import type { IncomingMessage } from "node:http";
import { AppError } from "@burnrate/contracts";

/*
 * History chunks are bodies of several MiB, one after another: read each into a buffer kept from an earlier
 * chunk instead of a new one (a new buffer of that size costs its page faults on every chunk, more than the
 * copy itself). A body's buffer goes back to the pool when its chunk is done (`releaseBody`), never earlier:
 * nothing of a chunk still being stored is overwritten.
 */

/** Free buffers, at most POOL_SIZE. */
const free: Buffer[] = [];
const POOL_SIZE = 4;
/** Body (a view) → the pooled buffer under it. */
const pooled = new WeakMap<Buffer, Buffer>();

/**
 * The request's body: into a pooled buffer when its length is declared, else gathered as it comes. Over
 * `maxBytes` it is refused (413) without reading it.
 */
export async function readPooledBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = req.headers["content-length"];
  const len = declared === undefined ? NaN : Number(declared);
  if (len > maxBytes) throw tooLarge();
  if (!Number.isSafeInteger(len) || len < 0) {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const d of req as AsyncIterable<Buffer>) {
      n += d.length;
      if (n > maxBytes) throw tooLarge();
      parts.push(d);
    }
    return Buffer.concat(parts);
  }
  const buf = takeBuffer(len);
  let at = 0;
  for await (const d of req as AsyncIterable<Buffer>) {
    // Node's parser ends the body at its declared length; the check keeps a bad stream from writing past it.
    if (at + d.length > len) throw badLength();
    at += d.copy(buf, at);
  }
  if (at !== len) throw badLength();
  const body = buf.subarray(0, len);
  pooled.set(body, buf);
  return body;
}

function takeBuffer(len: number): Buffer {
  for (let i = free.length - 1; i >= 0; i--) if (free[i]!.length >= len) return free.splice(i, 1)[0]!;
  // Rounded up to a MiB: bodies of similar size share buffers.
  // Shared memory: the parser's thread reads the body where it is (parse-chunk.ts).
  return Buffer.from(new SharedArrayBuffer(Math.ceil(Math.max(len, 1) / 2 ** 20) * 2 ** 20));
}

/** Gives a body read by readPooledBody back to the pool (anything else is ignored); call it once, when done. */
export function releaseBody(body: Buffer): void {
  const buf = pooled.get(body);
  if (!buf) return;
  pooled.delete(body);
  if (free.length < POOL_SIZE) free.push(buf);
  else {
    // Keep the largest buffers.
    free.sort((a, b) => a.length - b.length);
    if (free[0]!.length < buf.length) free[0] = buf;
  }
}

const tooLarge = () => new AppError("payload_too_large", "request body is larger than the limit");
const badLength = () =>
  new AppError("validation_error", "request body does not match its Content-Length header", {
    field: "Content-Length",
  });
