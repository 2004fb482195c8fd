import { Worker } from "node:worker_threads";
import { RequestBatch, type RequestBatchData } from "@burnrate/ingest";
import { buildParseThreadCode, builtParseThreadCode } from "./parse-thread-code";
import { IngestUnavailable } from "./runtime";

/** A body sent to a parse thread: its bytes (transferred), the request's time and the record horizon. */
export interface ParseJob {
  id: number;
  /** The body: `length` bytes from `offset` (empty when it comes in `pieces`). */
  body: ArrayBuffer;
  offset: number;
  length: number;
  /**
   * Or the body as the pieces it arrived in (each transferred whole, `length` bytes in all): the thread hashes
   * and parses them one after another, so no one copies the body and the main thread does not keep its memory
   * until its next garbage collection.
   */
  pieces?: ArrayBuffer[];
  /** Also the body's sha256, in hex (a history chunk's: the same chunk number with another body is a 409). */
  hash?: boolean;
  nowMs: number;
  horizonMs?: number;
  /** The body's buffer is one of the pool's (`takeBody`): the thread sends it back with the batch, for reuse. */
  pooled: boolean;
}

/** A parse thread's answer: the batch as data (its columns transferred), or the error the parser threw. */
export type ParseReply = ({ data: RequestBatchData; bodyHash?: string } | { error: string }) & {
  id: number;
  /** The body's buffer, back (pooled jobs). */
  body?: ArrayBuffer;
};

interface Pending {
  job: ParseJob;
  resolve: (r: Parsed) => void;
  reject: (e: unknown) => void;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  busy: Pending | null;
}

/** A parsed body: its batch, and its sha256 (hex) when the job asked for it. */
export interface Parsed {
  batch: RequestBatch;
  bodyHash?: string;
}

/** A parse thread's old generation: a batch's columns and errors, not its body. */
const THREAD_LIMITS = { maxOldGenerationSizeMb: 256 };

export interface ParsePoolOptions {
  /** What the threads are for, in log lines and errors (default "ingest"). */
  name?: string;
  /**
   * Each thread's young generation, in MB (default 8). History chunks (8 MiB, 70,000 records) take 48: with 8,
   * their thread collected its old generation every 2 or 3 chunks (docs/benchmarks.md).
   */
  youngGenerationMb?: number;
  /**
   * Run the bundled parser (parse-thread-code.ts; default true). False loads the TypeScript sources through
   * tsx's require hook (parse-thread.cjs), as when the bundle cannot be built.
   */
  bundled?: boolean;
}

const MAX_START_FAILURES = 3;
/** Bodies from this size on are read into the pool's buffers (smaller ones come from Node's own pool). */
const MIN_POOLED_BODY = 64 * 1024;
/** Body buffers kept for reuse, in bytes (4 of the benchmark's 4 MiB; they count as the API's live memory). */
const MAX_IDLE_BYTES = 16 * 1024 * 1024;

/**
 * `bytes` as an ArrayBuffer that can be moved to a thread: its own buffer when it fills it, else a copy (a
 * slice of a shared buffer, such as Node's buffer pool for small bodies, cannot be moved).
 */
function movable(bytes: Uint8Array): ArrayBuffer {
  const ab = bytes.buffer;
  if (ab instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === ab.byteLength) return ab;
  return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer; // Buffer's own slice() is a view
}

/**
 * Worker threads that parse NDJSON bodies off the main thread, so that on a machine with more than one core
 * the parsing of a batch runs beside the main thread's HTTP, aggregation and database work of others. Each
 * body's bytes are moved to the thread (transferred: the caller's Buffer is empty afterwards), parsed there by
 * the same parser (`parseNdjson`) and the batch comes back as columns (transferred too), so the result is the
 * one parsing on the main thread gives, byte for byte.
 *
 * Threads start at the first batch; until one is ready, `parse` returns null and the caller parses on its own
 * thread. Bodies wait in a queue for a free thread: the ingest gate bounds how many there are (requests and
 * bytes in flight), and `heldBytes` counts them for its memory check. A thread that dies (out of memory) fails
 * its batch with a 503 (nothing of it was stored; the client retries) and is replaced at the next batch.
 */
export class ParsePool {
  private threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** Threads that stopped before they were ready: after MAX_START_FAILURES, no more are started. */
  private startFailures = 0;
  /** Body bytes queued or being parsed in the threads. */
  heldBytes = 0;
  /** Body buffers back from the threads, for the next bodies (at most MAX_IDLE_BYTES). */
  private idle: ArrayBuffer[] = [];
  private idleBytes = 0;
  /** The bodies read into the pool's buffers (takeBody). */
  private readonly pooledBodies = new WeakSet<Uint8Array>();

  private readonly name: string;

  constructor(
    readonly size: number,
    private readonly log: (e: unknown, msg: string) => void = () => undefined,
    private readonly options: ParsePoolOptions = {},
  ) {
    this.name = options.name ?? "ingest";
  }

  /** Starts the threads not running (at most `size`); they take jobs once ready. */
  start(): void {
    if (this.closed || this.startFailures >= MAX_START_FAILURES) return;
    const code = this.threadCode();
    if (code === undefined) return; // being built: start() runs again once it is
    while (this.threads.length < this.size) this.spawn(code);
  }

  /**
   * The bundled parser (parse-thread-code.ts), null for the TypeScript sources through tsx's require hook (if
   * it cannot be built, or `bundled: false`), undefined while it is being built.
   */
  private threadCode(): string | null | undefined {
    if (this.options.bundled === false) return null;
    const code = builtParseThreadCode();
    if (code !== undefined || this.awaitingCode) return code;
    this.awaitingCode = true;
    void buildParseThreadCode((e) =>
      this.log(e, "the parse threads' bundle cannot be built; they load tsx"),
    ).then(() => {
      this.awaitingCode = false;
      this.start();
    });
    return undefined;
  }
  private awaitingCode = false;

  /** Bytes of the body buffers kept for reuse. */
  get idleBodyBytes(): number {
    return this.idleBytes;
  }

  /** Whether a thread is ready (then `parse` does not return null). */
  get ready(): boolean {
    return this.threads.some((t) => t.ready);
  }

  /**
   * A buffer of `length` bytes to read a body into, from the pool of buffers that come back from the threads
   * (no new memory per batch: a fresh one costs page faults, and its external memory brings both threads'
   * garbage collections forward); null for small bodies, or when no thread is ready.
   */
  takeBody(length: number): Buffer | null {
    if (length < MIN_POOLED_BODY || !this.ready) return null;
    const i = this.idle.findIndex((ab) => ab.byteLength >= length);
    let ab: ArrayBuffer;
    if (i >= 0) {
      ab = this.idle.splice(i, 1)[0]!;
      this.idleBytes -= ab.byteLength;
    } else ab = new ArrayBuffer(2 ** Math.ceil(Math.log2(length)));
    const b = Buffer.from(ab, 0, length);
    this.pooledBodies.add(b);
    return b;
  }

  /**
   * Parses `body` on a thread; null when no thread is ready yet (the caller then parses it itself). `body` is
   * moved to the thread: it is empty once this returns a promise.
   */
  parse(body: Uint8Array, nowMs: number, horizonMs?: number): Promise<RequestBatch> | null {
    if (!this.startReady()) return null;
    const length = body.byteLength;
    const pooled = this.pooledBodies.has(body);
    // The pool's own buffers are moved with their offset; any other body as a buffer of its own.
    const job: ParseJob = {
      id: this.nextId++,
      body: pooled ? (body.buffer as ArrayBuffer) : movable(body),
      offset: pooled ? body.byteOffset : 0,
      length,
      nowMs,
      horizonMs,
      pooled,
    };
    return this.submit(job).then((r) => r.batch);
  }

  /**
   * Hashes (sha256) and parses on a thread a body that is in `pieces` (a request's body as it arrived); null
   * when no thread is ready yet. Each piece's buffer is moved to the thread: the pieces are empty afterwards.
   */
  parseHashed(
    pieces: readonly Uint8Array[],
    nowMs: number,
    horizonMs?: number,
  ): Promise<Required<Parsed>> | null {
    if (!this.startReady()) return null;
    let length = 0;
    const bufs: ArrayBuffer[] = [];
    for (const p of pieces) {
      length += p.byteLength;
      bufs.push(movable(p));
    }
    const job: ParseJob = {
      id: this.nextId++,
      body: new ArrayBuffer(0),
      offset: 0,
      length,
      pieces: bufs,
      nowMs,
      horizonMs,
      pooled: false,
      hash: true,
    };
    return this.submit(job) as Promise<Required<Parsed>>;
  }

  private startReady(): boolean {
    this.start();
    return this.ready;
  }

  private submit(job: ParseJob): Promise<Parsed> {
    return new Promise<Parsed>((resolve, reject) => {
      this.heldBytes += job.length;
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const gone = new IngestUnavailable("the API is shutting down; retry later", 1);
    for (const p of this.queue.splice(0)) p.reject(gone);
    const threads = this.threads;
    this.threads = [];
    for (const t of threads) {
      t.busy?.reject(gone);
      t.busy = null;
    }
    await Promise.all(threads.map((t) => t.worker.terminate()));
    this.heldBytes = 0;
    this.idle = [];
    this.idleBytes = 0;
  }

  private dispatch(): void {
    for (const t of this.threads) {
      if (this.queue.length === 0) return;
      if (!t.ready || t.busy) continue;
      const p = this.queue.shift()!;
      t.busy = p;
      t.worker.ref();
      try {
        t.worker.postMessage(p.job, p.job.pieces ?? [p.job.body]);
      } catch {
        // A buffer that cannot be moved (marked untransferable): its bytes are copied.
        t.worker.postMessage(p.job);
      }
    }
  }

  private spawn(code: string | null): void {
    const resourceLimits = {
      ...THREAD_LIMITS,
      maxYoungGenerationSizeMb: this.options.youngGenerationMb ?? 8,
    };
    // The bundle runs without the process's flags (it needs no TypeScript loader).
    const worker =
      code !== null
        ? new Worker(code, { eval: true, execArgv: [], resourceLimits })
        : new Worker(new URL("./parse-thread.cjs", import.meta.url), { resourceLimits });
    worker.unref();
    const t: Thread = { worker, ready: false, busy: null };
    this.threads.push(t);
    worker.on("message", (m: ParseReply | { ready: true }) => {
      if ("ready" in m) {
        t.ready = true;
        this.dispatch();
        return;
      }
      const p = t.busy;
      t.busy = null;
      worker.unref();
      if (!p || p.job.id !== m.id) return;
      this.heldBytes -= p.job.length;
      if (m.body && this.idleBytes + m.body.byteLength <= MAX_IDLE_BYTES) {
        this.idle.push(m.body);
        this.idleBytes += m.body.byteLength;
      }
      if ("error" in m) p.reject(new Error(`${this.name} parse thread: ${m.error}`));
      else p.resolve({ batch: RequestBatch.fromData(m.data), bodyHash: m.bodyHash });
      this.dispatch();
    });
    const fail = (e: unknown) => {
      const i = this.threads.indexOf(t);
      if (i < 0) return; // closed, or already failed
      this.threads.splice(i, 1);
      this.log(e, `a ${this.name} parse thread stopped; it is replaced at the next batch`);
      const p = t.busy;
      t.busy = null;
      if (p) {
        this.heldBytes -= p.job.length;
        p.reject(new IngestUnavailable(`${this.name}'s parse thread failed; retry later`, 1));
      }
      void worker.terminate();
      if (!t.ready && ++this.startFailures >= MAX_START_FAILURES)
        this.log(e, `${this.name} parse threads do not start; batches are parsed on the main thread`);
      // Queued bodies wait for another ready thread; with none left, they are refused (503) as well.
      if (!this.ready)
        for (const q of this.queue.splice(0)) {
          this.heldBytes -= q.job.length;
          q.reject(new IngestUnavailable(`${this.name}'s parse thread failed; retry later`, 1));
        }
      this.dispatch();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`exited with code ${code}`)));
  }
}
