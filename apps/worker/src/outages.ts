import type { Logger } from "pino";

/** Error codes and messages of a connection that is down (not of a command that failed). */
const CONNECTION_ERRORS =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|Connection is closed|connect ETIMEDOUT|Stream isn't writeable|MaxRetriesPerRequestError/i;

export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return CONNECTION_ERRORS.test(`${String(e?.code ?? "")} ${String(e?.message ?? err)}`);
}

type Emitter = { on(event: "error", fn: (err: Error) => void): unknown };

/**
 * One line per Redis outage instead of a stack per connection and per retry: every connection (the client, its
 * duplicates, BullMQ's queues and workers) reports its errors here. While Redis is down, further connection
 * errors are counted, not logged; `up()` (the client's "ready") logs the end of the outage once.
 */
export function createOutageLog(log: Logger, what = "redis") {
  let downSince: number | null = null;
  let errors = 0;
  const report = (source: string) => (err: Error) => {
    if (!isConnectionError(err)) {
      log.warn({ source, err: err.message }, `${what} error`);
      return;
    }
    errors++;
    if (downSince !== null) return;
    downSince = Date.now();
    log.error({ source, err: err.message }, `${what} unreachable; retrying (logged once per outage)`);
  };
  return {
    /** Attaches the error handler (without one, a Redis outage is an unhandled 'error' event). */
    watch(emitter: Emitter, source: string) {
      emitter.on("error", report(source));
    },
    up() {
      if (downSince === null) return;
      log.warn({ downMs: Date.now() - downSince, errors }, `${what} is back`);
      downSince = null;
      errors = 0;
    },
    isDown: () => downSince !== null,
  };
}
export type OutageLog = ReturnType<typeof createOutageLog>;
