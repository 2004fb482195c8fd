import { availableParallelism } from "node:os";
import { sqlRows, type Db } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import type { IngestLimits } from "./catalog-limits";
import { HISTORY_KEY_TTL_HOURS } from "./idempotency";
import { ParsePool } from "./parse-pool";
import { IngestGate, LastSeenWriter, Semaphore } from "./runtime";

/** How often expired Idempotency-Keys are purged, at most (the timer looks every minute). */
const PURGE_EVERY_MS = 10 * MINUTE_MS;
/** How often the services' last-seen times are written, off the batches' transactions. */
const LAST_SEEN_EVERY_MS = 2000;

export interface IngestRuntimeConfig {
  BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS: number;
  BURNRATE_INGEST_MAX_INFLIGHT_MB: number;
  BURNRATE_INGEST_MAX_MEMORY_MB: number;
  BURNRATE_INGEST_MAX_EVENT_LOOP_LAG_MS: number;
  BURNRATE_INGEST_DB_CONCURRENCY: number;
  BURNRATE_INGEST_QUEUE_WAIT_MS: number;
  BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE: number;
  BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE: number;
  BURNRATE_IDEMPOTENCY_TTL_HOURS: number;
  /** Worker threads that parse NDJSON bodies (0: the main thread parses); default: the cores, at most 4. */
  BURNRATE_INGEST_PARSE_THREADS?: number;
}

/** One per API process: shared by the NDJSON and OTLP routes. */
export interface IngestRuntime {
  gate: IngestGate;
  dbSlots: Semaphore;
  lastSeen: LastSeenWriter;
  limits: IngestLimits;
  idempotencyTtlHours: number;
  /** Parse threads for NDJSON bodies; null: bodies are parsed on the main thread. */
  parsePool: ParsePool | null;
  /**
   * The history import's parse thread (one, apart from live ingest's, started at the first chunk): a chunk is
   * hashed and parsed there while the main thread stores the one before; null where ingest parses on the main
   * thread (BURNRATE_INGEST_PARSE_THREADS=0).
   */
  historyPool: ParsePool | null;
  close(): Promise<void>;
}

export function createIngestRuntime(
  db: Db,
  config: IngestRuntimeConfig,
  log: (e: unknown, msg: string) => void = () => undefined,
): IngestRuntime {
  const lastSeen = new LastSeenWriter(db, LAST_SEEN_EVERY_MS, (e) => log(e, "last-seen update failed"));
  let purgedAt = 0;
  const ttl = config.BURNRATE_IDEMPOTENCY_TTL_HOURS;
  const purge = setInterval(() => {
    // Expired Idempotency-Keys (a history import's chunks are kept longer), a bounded slice at a time.
    if (Date.now() - purgedAt < PURGE_EVERY_MS) return;
    purgedAt = Date.now();
    sqlRows(
      db,
      `DELETE FROM ingest_idempotency WHERE ctid = ANY (ARRAY(
           SELECT ctid FROM ingest_idempotency WHERE created_at < now() - make_interval(hours => $1::int)
              AND (scope NOT LIKE 'history:%' OR created_at < now() - make_interval(hours => $2::int))
            LIMIT 10000))`,
      [ttl, HISTORY_KEY_TTL_HOURS],
    ).catch((e: unknown) => log(e, "purging expired idempotency keys failed"));
  }, MINUTE_MS);
  purge.unref();
  // By default one thread per core but the main thread's (at least 1, at most 4): on 2 cores, 2 threads parsed
  // no faster than 1 on the ingest benchmark and took the API's peak RSS over 400 MB (392-411 MB, 341-355 with 1).
  const threads =
    config.BURNRATE_INGEST_PARSE_THREADS ?? Math.max(1, Math.min(4, availableParallelism() - 1));
  const parsePool = threads > 0 ? new ParsePool(threads, log) : null;
  // Started now, so that the first batches do not wait for them (until they are ready, the main thread parses).
  parsePool?.start();
  const historyPool = threads > 0 ? new ParsePool(1, log, { name: "history", youngGenerationMb: 48 }) : null;
  const gate = new IngestGate(
    {
      maxRequests: config.BURNRATE_INGEST_MAX_INFLIGHT_REQUESTS,
      maxBytes: config.BURNRATE_INGEST_MAX_INFLIGHT_MB * 1024 * 1024,
      maxMemoryBytes: config.BURNRATE_INGEST_MAX_MEMORY_MB * 1024 * 1024,
      maxEventLoopLagMs: config.BURNRATE_INGEST_MAX_EVENT_LOOP_LAG_MS,
    },
    // Bodies handed to the parse threads are no longer in this thread's memory figures: counted here.
    () => (parsePool?.heldBytes ?? 0) + (historyPool?.heldBytes ?? 0),
  );
  return {
    gate,
    dbSlots: new Semaphore(config.BURNRATE_INGEST_DB_CONCURRENCY, config.BURNRATE_INGEST_QUEUE_WAIT_MS),
    lastSeen,
    limits: {
      maxEndpointsPerService: config.BURNRATE_INGEST_MAX_ENDPOINTS_PER_SERVICE,
      maxRegionsPerService: config.BURNRATE_INGEST_MAX_REGIONS_PER_SERVICE,
    },
    idempotencyTtlHours: ttl,
    parsePool,
    historyPool,
    async close() {
      clearInterval(purge);
      gate.close();
      await Promise.all([parsePool?.close(), historyPool?.close()]);
      await lastSeen.close();
    },
  };
}
