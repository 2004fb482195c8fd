import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** How long a run's hold lasts unless renewed: a worker that died mid-run frees the job after this. */
export const SINGLE_FLIGHT_HOLD_MS = 30_000;

// Only the holder renews or releases (a hold that expired and was taken by another run is not touched).
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`;

/**
 * Runs `fn` unless another run holds `key` (in Redis, so across every worker on it): `{ ran: false }` then, and
 * nothing is done. The hold is renewed every third of `holdMs` while `fn` runs and released when it ends, however
 * it ends; a holder that died frees it `holdMs` later. A Redis that does not answer fails the call (the job's
 * retry tries again).
 */
export async function singleFlight<T>(
  redis: Redis,
  key: string,
  fn: () => Promise<T>,
  holdMs: number = SINGLE_FLIGHT_HOLD_MS,
): Promise<{ ran: true; value: T } | { ran: false }> {
  const me = randomUUID();
  if ((await redis.set(key, me, "PX", holdMs, "NX")) !== "OK") return { ran: false };
  const renew = setInterval(
    () => void redis.eval(RENEW, 1, key, me, String(holdMs)).catch(() => undefined),
    Math.max(100, Math.floor(holdMs / 3)),
  );
  renew.unref();
  try {
    return { ran: true, value: await fn() };
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, key, me).catch(() => undefined);
  }
}
