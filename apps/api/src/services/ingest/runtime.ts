import { AppError } from "@burnrate/contracts";
import { isDbUnavailable, sqlRows, type Db } from "@burnrate/db";

/**
 * What keeps ingest bounded under load: admission of requests (count and body bytes in flight, checked before
 * anything else runs), a semaphore around the database part of a batch, the services' last-seen times written
 * in the background, and the recognition of a database that is down (503, not 500).
 */

/** Answered when ingest is full or its database unreachable: the client retries after `Retry-After`. */
export class IngestUnavailable extends AppError {
  constructor(
    message: string,
    readonly retryAfterS: number,
    readonly httpStatus: 429 | 503 = 503,
    /** Refused before its body was read: the connection is closed after the answer, the body never read. */
    readonly beforeBody = false,
  ) {
    super(httpStatus === 429 ? "rate_limited" : "unavailable", message, { retryAfterSeconds: retryAfterS });
  }
  override get status(): number {
    return this.httpStatus;
  }
}

/** The client went away before its batch was stored: nothing is stored and nothing is answered. */
export class ClientGone extends Error {
  constructor() {
    super("the client closed the connection before its batch was stored");
  }
}

export interface GateLimits {
  /** Requests admitted at once (receiving, parsing or storing). */
  maxRequests: number;
  /** Body bytes admitted at once (Content-Length, or the body limit when it is not sent). */
  maxBytes: number;
  /**
   * Above this much live memory (JS heap in use + array buffers, which shrink after a GC, unlike the RSS),
   * new batches are refused until it falls.
   */
  maxMemoryBytes: number;
  /** Above this event-loop delay (ms; the worst of the last half second), new batches are refused. */
  maxEventLoopLagMs: number;
}

const LAG_TICK_MS = 25;

/** Admission of ingest requests: refuses at once (no queue) when full. */
export class IngestGate {
  requests = 0;
  bytes = 0;
  refused = 0;
  private memAt = 0;
  private mem = 0;
  /** The worst event-loop delay of the current and the previous 250 ms window. */
  private lag = [0, 0];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly limits: GateLimits,
    /** Live memory of ingest outside this thread's heap and buffers (bodies in parse threads), in bytes. */
    private readonly outsideBytes: () => number = () => 0,
  ) {}

  /**
   * The event-loop clock runs only while ingest is busy (it wakes the process 40 times a second): it starts with
   * the first admitted batch and stops half a second after the last one ends, so an idle API sleeps.
   */
  private startLagClock(): void {
    if (this.timer || this.limits.maxEventLoopLagMs <= 0) return;
    let expected = performance.now() + LAG_TICK_MS;
    let ticks = 0;
    let idleTicks = 0;
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - expected);
      expected = now + LAG_TICK_MS;
      if (late > this.lag[1]!) this.lag[1] = late;
      if (++ticks % 10 === 0) this.lag = [this.lag[1]!, 0];
      idleTicks = this.requests > 0 ? 0 : idleTicks + 1;
      if (idleTicks >= 20) this.close();
    }, LAG_TICK_MS);
    this.timer.unref();
  }

  get lagClockRunning(): boolean {
    return this.timer !== null;
  }

  /** The event-loop delay the gate sees (ms). */
  get eventLoopLagMs(): number {
    return Math.max(this.lag[0]!, this.lag[1]!);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.lag = [0, 0];
  }

  /** A release function, or the reason the request is refused. */
  tryEnter(bytes: number): (() => void) | string {
    const { maxRequests, maxBytes, maxMemoryBytes } = this.limits;
    if (this.requests >= maxRequests) return this.refuse(`${this.requests} ingest requests are in flight`);
    // One oversized body is still admitted when nothing else is in flight (the body limit bounds it).
    if (this.requests > 0 && this.bytes + bytes > maxBytes)
      return this.refuse(`${Math.round(this.bytes / 1048576)} MiB of ingest bodies are in flight`);
    const lag = this.eventLoopLagMs;
    // (Only while other batches are in flight: a delay that is not ingest's own must not stop ingest.)
    if (this.requests > 0 && this.limits.maxEventLoopLagMs > 0 && lag > this.limits.maxEventLoopLagMs)
      return this.refuse(`the API's event loop is ${Math.round(lag)} ms behind`);
    const now = Date.now();
    if (now - this.memAt > 100) {
      const m = process.memoryUsage();
      this.mem = m.heapUsed + m.arrayBuffers + this.outsideBytes();
      this.memAt = now;
    }
    if (this.mem > maxMemoryBytes)
      return this.refuse(`the API holds ${Math.round(this.mem / 1048576)} MiB of live memory`);
    this.requests++;
    this.bytes += bytes;
    this.startLagClock();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.requests--;
      this.bytes -= bytes;
    };
  }

  private refuse(why: string): string {
    this.refused++;
    return `ingest is at capacity (${why}); retry after the Retry-After delay`;
  }
}

/** A counting semaphore whose waiters give up after `waitMs` (then the batch answers 503). */
export class Semaphore {
  private active = 0;
  private readonly waiters: { go: () => void; timer: NodeJS.Timeout }[] = [];

  constructor(
    readonly size: number,
    readonly waitMs: number,
  ) {}

  async run<T>(fn: () => Promise<T>, isGone?: () => boolean): Promise<T> {
    if (this.active >= this.size) {
      await new Promise<void>((resolve, reject) => {
        const w = {
          go: () => {
            clearTimeout(w.timer);
            resolve();
          },
          timer: setTimeout(() => {
            const i = this.waiters.indexOf(w);
            if (i >= 0) this.waiters.splice(i, 1);
            reject(new IngestUnavailable("ingest's database connections are busy; retry later", 1));
          }, this.waitMs),
        };
        this.waiters.push(w);
      });
    } else this.active++;
    try {
      if (isGone?.()) throw new ClientGone();
      return await fn();
    } finally {
      const next = this.waiters.shift();
      if (next) next.go();
      else this.active--;
    }
  }
}

/**
 * The services' last-seen times, kept in memory and written every `everyMs` in one statement that locks the
 * rows in id order: off the ingest transaction, so concurrent batches never wait on (or deadlock over) the
 * services rows. A failed write is retried with the next one.
 */
export class LastSeenWriter {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly everyMs: number,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {}

  mark(serviceIds: Iterable<string>, atMs: number): void {
    for (const id of serviceIds) {
      const prev = this.pending.get(id);
      if (prev === undefined || atMs > prev) this.pending.set(id, atMs);
    }
    if (!this.timer && this.everyMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.flush();
      }, this.everyMs);
      this.timer.unref();
    }
  }

  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const ids = [...batch.keys()].sort();
    const at = ids.map((id) => new Date(batch.get(id)!).toISOString());
    this.flushing = sqlRows(
      this.db,
      `WITH v AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at)),
            l AS (SELECT s.id FROM services s JOIN v USING (id) ORDER BY s.id FOR NO KEY UPDATE OF s)
       UPDATE services s SET last_seen_at = greatest(s.last_seen_at, v.at)
         FROM l JOIN v USING (id) WHERE s.id = l.id`,
      [ids, at],
    )
      .then(() => undefined)
      .catch((e: unknown) => {
        for (const [id, ms] of batch) this.mark([id], ms);
        this.onError(e);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }
}

/**
 * Runs `fn(key)` for each key asked, at most once at a time per key: a key asked while its run is in flight
 * runs once more after it (so a burst of batches with new endpoints of one service costs two runs, not one
 * per batch).
 */
export function coalescePerKey(fn: (key: string) => Promise<unknown>): (keys: string[]) => Promise<void> {
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  const start = (key: string): Promise<void> => {
    const state = { again: false, done: Promise.resolve() };
    state.done = (async () => {
      try {
        do {
          state.again = false;
          await fn(key);
        } while (state.again);
      } finally {
        running.delete(key);
      }
    })();
    running.set(key, state);
    return state.done;
  };
  return async (keys) => {
    await Promise.all(
      keys.map((k) => {
        const r = running.get(k);
        if (r) {
          r.again = true;
          return r.done;
        }
        return start(k);
      }),
    );
  };
}

/** Whether `e` (or an error it wraps) says the database cannot be reached or is too busy: ingest then answers 503. */
export { isDbUnavailable };

/** Rejects with IngestUnavailable when `p` takes longer than `ms` (Redis down: commands queue forever). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new IngestUnavailable(`${what} did not answer in ${ms} ms`, 5)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
