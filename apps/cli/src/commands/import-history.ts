import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { HistoryChunkResponse, HistoryFinishResponse } from "@burnrate/contracts";
import { ApiError } from "../api-client";
import type { Io } from "../io";
import { EXIT, UsageError, type Opts } from "../options";

/** A chunk ends at this many lines or at the first line end past CHUNK_BYTES, whichever comes first. */
export const DEFAULT_CHUNK_LINES = 100_000;
/** Well under the API's default body limit (16 MB), with room for a long last line. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Chunks in flight at once: the next one is read and sent while the API stores the last. */
const DEFAULT_PARALLEL = 2;
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
  const doFetch = deps.fetch ?? fetch;
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
  for await (const chunk of chunksOf(readFrom(file, state.offset), chunkLines, CHUNK_BYTES)) {
    const s = seq++;
    const answer = sendChunk(doFetch, `${base}/chunks/${s}`, headers, chunk.body, o, s);
    answer.catch(() => undefined); // awaited in order by settleOldest
    inFlight.push({ seq: s, lines: chunk.lines, bytes: chunk.body.length, firstLine, answer });
    firstLine += chunk.lines;
    if (inFlight.length >= parallel) await settleOldest();
  }
  while (inFlight.length > 0) await settleOldest();
  if (printed > MAX_PRINTED_ERRORS) io.err(`… and ${printed - MAX_PRINTED_ERRORS} more bad lines`);

  const fin = await request(doFetch, `${base}/finish`, { method: "POST", headers: authOnly(o) }, o, "finish");
  const done = (await fin.json()) as HistoryFinishResponse;
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
  doFetch: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: Buffer,
  o: Opts,
  seq: number,
): Promise<Answer> {
  // A Buffer is a Uint8Array, which fetch sends as is (the DOM typings want an ArrayBuffer-backed view).
  const init: RequestInit = { method: "POST", headers, body: body as Uint8Array<ArrayBuffer> };
  const res = await request(doFetch, url, init, o, `chunk ${seq}`);
  return { res: (await res.json()) as HistoryChunkResponse };
}

async function request(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
  o: Opts,
  what: string,
): Promise<Response> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= MAX_TRIES; attempt++) {
    let res: Response;
    try {
      res = await doFetch(url, init);
      if (res.ok) {
        // The answer is read here, so that one lost half-way is a retry too.
        const text = await res.text();
        return new Response(text, { status: res.status, headers: res.headers });
      }
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      lastProblem = cause?.code ?? (e as Error).message;
      await sleep(backoffMs(attempt));
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      lastProblem = `HTTP ${res.status}`;
      const after = Number(res.headers.get("retry-after"));
      await res.body?.cancel();
      await sleep(Number.isFinite(after) && after > 0 ? after * 1000 : backoffMs(attempt));
      continue;
    }
    let msg = `${what}: HTTP ${res.status}`;
    try {
      const j = (await res.json()) as { error?: { message?: string } };
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

/** The file's (gunzipped, for .gz) bytes from `offset` on. */
async function* readFrom(file: string, offset: number): AsyncGenerator<Buffer> {
  if (!isGzipName(file)) {
    yield* createReadStream(file, { start: offset, highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>;
    return;
  }
  let skip = offset;
  const stream = createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(createGunzip());
  for await (const b of stream as AsyncIterable<Buffer>) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    yield skip > 0 ? b.subarray(skip) : b;
    skip = 0;
  }
}

/**
 * Cuts a stream of bytes into chunks of whole lines: at most `maxLines` lines, ending at the first line end
 * at or past `maxBytes`. The same bytes always give the same chunks (a resumed import sends what it sent).
 */
export async function* chunksOf(
  stream: AsyncIterable<Buffer>,
  maxLines: number,
  maxBytes: number,
): AsyncGenerator<{ body: Buffer; lines: number }> {
  let parts: Buffer[] = [];
  let bytes = 0;
  let lines = 0;
  let lastByte = 10;
  for await (const buf of stream) {
    if (buf.length === 0) continue;
    lastByte = buf[buf.length - 1]!;
    let start = 0;
    while (start < buf.length) {
      let p = start;
      let cut = -1;
      for (;;) {
        const nl = buf.indexOf(10, p);
        if (nl === -1) break;
        lines++;
        p = nl + 1;
        if (lines >= maxLines || bytes + (p - start) >= maxBytes) {
          cut = p;
          break;
        }
      }
      if (cut === -1) {
        parts.push(buf.subarray(start));
        bytes += buf.length - start;
        break;
      }
      parts.push(buf.subarray(start, cut));
      yield { body: Buffer.concat(parts), lines };
      parts = [];
      bytes = 0;
      lines = 0;
      start = cut;
    }
  }
  if (bytes > 0) yield { body: Buffer.concat(parts), lines: lines + (lastByte === 10 ? 0 : 1) };
}

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
