/**
 * What a database error means to a caller: the database cannot be reached (`unavailable`), or it is there but
 * could not serve this request in time (`busy`: a transaction that waited too long for a row another writer
 * holds, a pool with no free connection, a deadlock or serialization victim). Both are worth a retry, so the
 * API answers 503 with Retry-After instead of 500. Anything else is null.
 */
export type DbTrouble = "unavailable" | "busy";

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EPIPE",
  "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "P1001", // Prisma: can't reach database server
  "P1002",
  "P1017", // Prisma: server closed the connection
]);
const UNAVAILABLE_MESSAGE =
  /ECONNREFUSED|Connection terminated|connection is closed|terminating connection|Can't reach database|the database system is (starting up|shutting down|in recovery)|timeout exceeded when trying to connect|Client has encountered a connection error/i;

const BUSY_CODES = new Set([
  "P2024", // Prisma: timed out fetching a connection from the pool
  "P2028", // Prisma: transaction API error (a transaction that expired, or could not start in time)
  "P2034", // Prisma: write conflict or deadlock
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "55P03", // lock_not_available
  "57014", // query_canceled (statement_timeout)
]);
const BUSY_MESSAGE =
  /Transaction already closed|expired transaction|Unable to start a transaction in the given time|Timed out fetching a new connection/i;

export function dbTrouble(e: unknown, depth = 0): DbTrouble | null {
  if (!e || typeof e !== "object" || depth > 5) return null;
  const x = e as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
    originalCode?: unknown;
  };
  for (const code of [x.code, x.originalCode]) {
    if (typeof code !== "string") continue;
    if (UNAVAILABLE_CODES.has(code)) return "unavailable";
    if (BUSY_CODES.has(code)) return "busy";
  }
  if (typeof x.message === "string") {
    if (UNAVAILABLE_MESSAGE.test(x.message)) return "unavailable";
    if (BUSY_MESSAGE.test(x.message)) return "busy";
  }
  if (Array.isArray(x.errors))
    for (const c of x.errors) {
      const t = dbTrouble(c, depth + 1);
      if (t) return t;
    }
  return dbTrouble(x.cause, depth + 1);
}

/** Whether `e` (or an error it wraps) says the database cannot be reached, or could not serve in time. */
export function isDbUnavailable(e: unknown): boolean {
  return dbTrouble(e) !== null;
}

/**
 * Whether `e` (or an error it wraps) is a unique-constraint violation that no service caught: two requests
 * created the same row at once (say, two editors saving one schedule). The API answers 409, not 500.
 */
export function isUniqueViolation(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 5) return false;
  const x = e as { code?: unknown; originalCode?: unknown; cause?: unknown };
  if (x.code === "P2002" || x.code === "23505" || x.originalCode === "23505") return true;
  return isUniqueViolation(x.cause, depth + 1);
}
