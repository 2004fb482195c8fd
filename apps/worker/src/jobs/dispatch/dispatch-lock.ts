import type { Db } from "@burnrate/db";

/** The advisory lock's connection is gone: stop this job (the queue retries it), do not post. */
export class LockLostError extends Error {
  constructor(cause: string) {
    super(`lost the dispatch lock: ${cause}`);
  }
}

/** Checks, right before a post, that this job still holds its alert's lock (throws LockLostError if not). */
export type Guard = () => Promise<void>;

const NOT_LOCKED = Symbol("not locked");
/** How long a job waits for another job holding the same lock before it gives up (and is retried). */
const LOCK_WAIT_MS = 60_000;
/** Pause between two tries of the lock. */
const LOCK_POLL_MS = 100;
/** The longest a job may hold the lock (its transaction's timeout). */
const LOCK_HOLD_MS = 15 * 60_000;

/**
 * Runs `fn` holding a transaction-scoped advisory lock named `name` (released by Postgres even when the worker
 * is killed), waiting for another holder up to a minute. `fn` gets a guard that fails if the lock's connection
 * is gone (a Postgres restart: then another job may hold it).
 */
export async function withAdvisoryLock<T>(
  db: Db,
  name: string,
  fn: (guard: Guard) => Promise<T>,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const r = await db.$transaction(
      async (tx) => {
        const [row] = await tx.$queryRaw<{ ok: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(hashtext(${name})) AS ok`;
        if (!row?.ok) return NOT_LOCKED;
        const guard: Guard = async () => {
          await tx.$queryRaw`SELECT 1`.catch((e: unknown) => {
            throw new LockLostError((e as Error).message);
          });
        };
        return fn(guard);
      },
      { timeout: LOCK_HOLD_MS, maxWait: 30_000 },
    );
    if (r !== NOT_LOCKED) return r as T;
    if (Date.now() - t0 > LOCK_WAIT_MS) throw new Error(`another job still holds ${name}`);
    await new Promise((res) => setTimeout(res, LOCK_POLL_MS));
  }
}
