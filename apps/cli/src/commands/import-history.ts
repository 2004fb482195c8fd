import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, rename, stat, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import { createGunzip } from "node:zlib";
import type { HistoryChunkResponse, HistoryFinishResponse } from "@burnrate/contracts";
import { ApiError } from "../api-client";
import type { Io } from "../io";
import { EXIT, UsageError, type Opts } from "../options";

/** A chunk ends at this many lines or at the first line end past CHUNK_BYTES, whichever comes first. */
export const DEFAULT_CHUNK_LINES = 100_000;
/** Well under the API's default body limit (16 MB), with room for a long last line. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Chunks in flight at once: three being stored (the API's default history slots), one being parsed or on its way. */
const DEFAULT_PARALLEL = 4;
/** Tries per chunk on a lost answer, a network error or a 429/5xx. */
const MAX_TRIES = 10;
/** Bad lines printed one by one; past this only counted. */
const MAX_PRINTED_ERRORS = 100;
/** Progress lines at most this often. */
const PROGRESS_EVERY_MS = 1000;

/** What the client keeps between runs: the import's id and the last chunk the API acknowledged in order. */
interface Checkpoint {
  importId: string;
  file: string;
  size: number;
  mtimeMs: number;
  chunkLines: number;
  /** The next chunk to send, its first line (1-based) and its offset in the (gunzipped) file. */
  nextSeq: number;
  nextLine: number;
  offset: number;
  accepted: number;
  rejected: number;
  done?: boolean;
}

/** Seams for tests: the HTTP client, and a hook after each acknowledged chunk (before its checkpoint). */
export interface ImportHistoryDeps {
  fetch?: typeof fetch;
  onChunkAcked?: (seq: number) => void;
  now?: () => number;
}

/**
 * `burnrate import-history -f logs.ndjson[.gz]`: sends request history (up to 450 days old, the NDJSON ingest
 * format) in numbered chunks of one import, shows progress, and at the end asks the API to backfill every SLO
 * it touched. After each chunk the API acknowledged (in order) a checkpoint file records where to go on: a
 * second run after a crash resumes there. A chunk sent twice (its answer lost, or sent again after a crash
 * before its checkpoint) is counted once: the API stores each chunk's answer with its rows.
 */
export async function importHistory(o: Opts, io: Io, deps: ImportHistoryDeps = {}): Promise<number> {
  if (!o.file || o.file === "-")
    throw new UsageError("import-history needs -f FILE (a file, to resume from)");
  const post: Post = deps.fetch ? fetchPost(deps.fetch) : httpPost();
  const now = deps.now ?? Date.now;
  const file = o.file;
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${file}: ${e.code ?? e.message}`);
  });
  const cpPath = o.checkpoint ?? `${file}.import-checkpoint.json`;
  const chunkLines = o.chunkLines ?? DEFAULT_CHUNK_LINES;
  const parallel = o.parallel ?? DEFAULT_PARALLEL;
  let cp = o.restart ? null : await readCheckpoint(cpPath);
  if (cp && (cp.size !== info.size || cp.mtimeMs !== info.mtimeMs || cp.file !== file))
    throw new Error(
      `${file} is not the file of checkpoint ${cpPath} (size, time or name differ); --restart imports it as new`,
    );
  if (cp?.done) {
    io.err(
      `${file} was imported already (import ${cp.importId}: ${cp.accepted} records); --restart imports it again`,
    );
    return EXIT.ok;
  }
  if (cp) {
    io.err(`resuming import ${cp.importId} of ${file} at line ${cp.nextLine} (chunk ${cp.nextSeq})`);
  } else {
    cp = {
      importId: `imp-${randomBytes(9).toString("base64url")}`,
      file,
      size: info.size,
      mtimeMs: info.mtimeMs,
      chunkLines,
      nextSeq: 0,
      nextLine: 1,
      offset: 0,
      accepted: 0,
      rejected: 0,
    };
    await writeCheckpoint(cpPath, cp);
  }
  const state: Checkpoint = cp;
  const base = `${o.url.replace(/\/+$/, "")}/api/v1/history/imports/${state.importId}`;
  const headers: Record<string, string> = { "content-type": "application/x-ndjson" };
  if (o.token) headers.authorization = `Bearer ${o.token}`;

  const started = now();
  let sentRecords = 0;
  let lastProgress = 0;
  let printed = 0;
  const inFlight: {
    seq: number;
    lines: number;
    bytes: number;
    firstLine: number;
    answer: Promise<Answer>;
  }[] = [];

  /** The oldest chunk in flight: its answer, its bad lines, then the checkpoint past it. */
  const settleOldest = async () => {
    const c = inFlight.shift()!;
    const { res } = await c.answer;
    for (const e of res.errors) {
      if (printed++ < MAX_PRINTED_ERRORS) io.err(`line ${c.firstLine + e.line - 1}: ${e.message}`);
    }
    state.accepted += res.accepted;
    state.rejected += res.rejected;
    sentRecords += res.accepted + res.rejected;
    deps.onChunkAcked?.(c.seq);
    state.nextSeq = c.seq + 1;
    state.nextLine = c.firstLine + c.lines;
    state.offset += c.bytes;
    await writeCheckpoint(cpPath, state);
    const t = now();
    if (t - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = t;
      const rate = Math.round(sentRecords / Math.max(0.001, (t - started) / 1000));
      io.err(
        `chunk ${c.seq}: through line ${state.nextLine - 1} (${pct(state.offset, info.size, file)}), ` +
          `${state.accepted} accepted, ${state.rejected} rejected, ${rate} records/s`,
      );
    }
  };

  let seq = state.nextSeq;
  let firstLine = state.nextLine;
  const reader = new ChunkReader(await openSource(file, state.offset), chunkLines, CHUNK_BYTES);
  try {
    for (;;) {
      const chunk = await reader.next();
      if (!chunk) break;
      const s = seq++;
      const answer = sendChunk(post, `${base}/chunks/${s}`, headers, chunk.body, o, s);
      // Its buffer is reused once the API has answered (a retry sends the same bytes).
      answer.then(chunk.release, chunk.release);
      inFlight.push({ seq: s, lines: chunk.lines, bytes: chunk.body.length, firstLine, answer });
      firstLine += chunk.lines;
      if (inFlight.length >= parallel) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } finally {
    await reader.close();
  }
  if (printed > MAX_PRINTED_ERRORS) io.err(`… and ${printed - MAX_PRINTED_ERRORS} more bad lines`);

  const fin = await request(post, `${base}/finish`, authOnly(o), null, o, "finish");
  const done = JSON.parse(fin) as HistoryFinishResponse;
  state.done = true;
  await writeCheckpoint(cpPath, state);
  const secs = (now() - started) / 1000;
  io.out(
    `imported ${done.accepted} records (${done.rejected} rejected) from ${file} in ${done.chunks} chunks` +
      ` (import ${done.importId}, ${secs.toFixed(1)} s)`,
  );
  io.out(
    done.backfills.length === 0
      ? "no SLO to backfill on the services of this history"
      : `backfilling ${done.backfills.length} SLOs: ${done.backfills.map((b) => `${b.service}/${b.name}`).join(", ")}`,
  );
  return EXIT.ok;
}

interface Answer {
  res: HistoryChunkResponse;
}

function authOnly(o: Opts): Record<string, string> {
  return o.token ? { authorization: `Bearer ${o.token}` } : {};
}

function pct(offset: number, size: number, file: string): string {
  // A gzipped file's offset counts its uncompressed bytes: no percentage then.
  return isGzipName(file)
    ? `${(offset / 1e6).toFixed(0)} MB`
    : `${Math.min(100, (offset / size) * 100).toFixed(1)}%`;
}

/** Sends one chunk until the API answers it: a lost answer, a network error or a 429/5xx sends it again. */
async function sendChunk(
  post: Post,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  o: Opts,
  seq: number,
): Promise<Answer> {
  const text = await request(post, url, headers, body, o, `chunk ${seq}`);
  return { res: JSON.parse(text) as HistoryChunkResponse };
}

/** One POST: the status, the Retry-After header and the whole answer (read here: one lost half-way throws). */
type Post = (
  url: string,
  headers: Record<string, string>,
  body: Buffer | null,
) => Promise<{ status: number; retryAfter: string | null; text: string }>;

function fetchPost(doFetch: typeof fetch): Post {
  return async (url, headers, body) => {
    // A Buffer is a Uint8Array, which fetch sends as is (the DOM typings want an ArrayBuffer-backed view).
    const init: RequestInit = { method: "POST", headers };
    if (body) init.body = body as Uint8Array<ArrayBuffer>;
    const res = await doFetch(url, init);
    return { status: res.status, retryAfter: res.headers.get("retry-after"), text: await res.text() };
  };
}

/**
 * POST with node:http on kept-alive connections: the body goes to the socket from its buffer as it is (fetch
 * copies every body it is given, and the copies of 8 MiB chunks cost the client more than reading the file).
 */
function httpPost(): Post {
  const agents = {
    "http:": new http.Agent({ keepAlive: true }),
    "https:": new https.Agent({ keepAlive: true }),
  };
  return (url, headers, body) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const lib = u.protocol === "https:" ? https : http;
      const req = lib.request(
        u,
        {
          method: "POST",
          headers: { ...headers, "content-length": String(body?.length ?? 0) },
          agent: agents[u.protocol as "http:" | "https:"],
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (d: Buffer) => parts.push(d));
          res.on("error", reject);
          res.on("aborted", () => reject(Object.assign(new Error("answer cut off"), { code: "ECONNRESET" })));
          res.on("end", () => {
            const ra = res.headers["retry-after"];
            resolve({
              status: res.statusCode ?? 0,
              retryAfter: typeof ra === "string" ? ra : null,
              text: Buffer.concat(parts).toString("utf8"),
            });
          });
        },
      );
      req.on("error", reject);
      req.end(body ?? undefined);
    });
}

/** POSTs until the API answers 2xx (its answer's text); a network error or a 429/5xx tries again. */
async function request(
  post: Post,
  url: string,
  headers: Record<string, string>,
  body: Buffer | null,
  o: Opts,
  what: string,
): Promise<string> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    let res: Awaited<ReturnType<Post>>;
    try {
      res = await post(url, headers, body);
    } catch (e) {
      const err = e as { code?: string; cause?: { code?: string }; message: string };
      lastProblem = err.cause?.code ?? err.code ?? err.message;
      await sleep(backoffMs(attempt));
      continue;
    }
    if (res.status >= 200 && res.status < 300) return res.text;
    if (res.status === 429 || res.status >= 500) {
      lastProblem = `HTTP ${res.status}`;
      const after = Number(res.retryAfter);
      await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : backoffMs(attempt));
      continue;
    }
    let msg = `${what}: HTTP ${res.status}`;
    try {
      const j = JSON.parse(res.text) as { error?: { message?: string } };
      if (j.error?.message) msg = `${msg}: ${j.error.message}`;
    } catch {
      /* not JSON */
    }
    throw new ApiError(msg, res.status === 401 && !o.token ? ["set --token or BURNRATE_TOKEN"] : []);
  }
  throw new ApiError(`${what}: no answer after ${MAX_TRIES} tries (${lastProblem}); run again to resume`);
}

const backoffMs = (attempt: number) => Math.min(10_000, 200 * 2 ** (attempt - 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const isGzipName = (file: string) => file.endsWith(".gz");

/** Bytes read into a given buffer: 0 at the end. */
export interface ByteSource {
  read(into: Buffer, at: number, max: number): Promise<number>;
  close(): Promise<void>;
}

/** The file's (gunzipped, for .gz) bytes from `offset` on. */
async function openSource(file: string, offset: number): Promise<ByteSource> {
  if (!isGzipName(file)) {
    const fh = await open(file, "r");
    let pos = offset;
    return {
      async read(into, at, max) {
        const { bytesRead } = await fh.read(into, at, max, pos);
        pos += bytesRead;
        return bytesRead;
      },
      close: () => fh.close(),
    };
  }
  let skip = offset;
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(createGunzip());
  const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let left: Buffer | null = null;
  return {
    async read(into, at, max) {
      while (!left || left.length === 0) {
        const r = await it.next();
        if (r.done) return 0;
        let b = r.value;
        if (skip >= b.length) {
          skip -= b.length;
          continue;
        }
        if (skip > 0) b = b.subarray(skip);
        skip = 0;
        left = b;
      }
      const n = left.copy(into, at, 0, Math.min(max, left.length));
      left = left.subarray(n);
      return n;
    },
    async close() {
      stream.destroy();
    },
  };
}

/**
 * Cuts a file's bytes into chunks of whole lines, as chunksOf does, reading straight into buffers that are
 * reused once a chunk's answer is in (`release`): no copy of the bytes and no new buffer per chunk.
 */
export class ChunkReader {
  private readonly free: Buffer[] = [];
  /** Bytes read past the last cut: the start of the next chunk (less than one read). */
  private readonly tail: Buffer;
  private tailLen = 0;
  private eof = false;
  private readonly size: number;

  constructor(
    private readonly src: ByteSource,
    private readonly maxLines: number,
    private readonly maxBytes: number,
    private readonly readBlock = READ_BLOCK,
  ) {
    this.size = maxBytes + readBlock;
    this.tail = Buffer.allocUnsafe(readBlock);
  }

  async next(): Promise<{ body: Buffer; lines: number; release: () => void } | null> {
    let buf = this.free.pop() ?? Buffer.allocUnsafe(this.size);
    let len = this.tail.copy(buf, 0, 0, this.tailLen);
    this.tailLen = 0;
    let lines = 0;
    let scanned = 0;
    let cut = -1;
    for (;;) {
      while (scanned < len) {
        const nl = buf.indexOf(10, scanned);
        if (nl === -1 || nl >= len) {
          scanned = len;
          break;
        }
        lines++;
        scanned = nl + 1;
        if (lines >= this.maxLines || scanned >= this.maxBytes) {
          cut = scanned;
          break;
        }
      }
      if (cut !== -1 || this.eof) break;
      if (len === buf.length) {
        // A line longer than a read: a bigger buffer for this chunk.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
      }
      const n = await this.src.read(buf, len, Math.min(this.readBlock, buf.length - len));
      if (n === 0) this.eof = true;
      len += n;
    }
    if (len === 0) {
      this.free.push(buf);
      return null;
    }
    if (cut === -1) {
      cut = len;
      if (buf[len - 1] !== 10) lines++; // a last line without a newline
    }
    this.tailLen = buf.copy(this.tail, 0, cut, len);
    const mine = buf;
    let released = false;
    return {
      body: buf.subarray(0, cut),
      lines,
      release: () => {
        if (!released && mine.length === this.size) this.free.push(mine);
        released = true;
      },
    };
  }

  async close(): Promise<void> {
    await this.src.close();
  }
}
/** Bytes read at once; a chunk's buffer has this much room past CHUNK_BYTES for the line that crosses it. */
const READ_BLOCK = 1024 * 1024;

async function readCheckpoint(p: string): Promise<Checkpoint | null> {
  let text: string;
  try {
    text = await readFile(p, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    return JSON.parse(text) as Checkpoint;
  } catch {
    throw new Error(`checkpoint ${p} is not valid JSON; delete it or use --restart`);
  }
}

/** Written whole or not at all (a crash mid-write leaves the previous checkpoint). */
async function writeCheckpoint(p: string, cp: Checkpoint): Promise<void> {
  await writeFile(`${p}.tmp`, JSON.stringify(cp, null, 2) + "\n");
  await rename(`${p}.tmp`, p);
}
