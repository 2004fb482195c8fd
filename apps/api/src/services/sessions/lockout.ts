import type { Db } from "@burnrate/db";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@burnrate/slo-core";

/**
 * Per-account lockout. Failures are counted per email, known or not (so a lockout tells nothing about which
 * emails exist), in Postgres: the count survives restarts and holds across API replicas. From the 10th failure
 * on, the email is locked for 1 min, then 2, 4, 8 … up to 1 h per further failure; a count whose last failure
 * is a day old starts again, and a successful sign-in clears it.
 */
export const LOCKOUT = {
  threshold: 10,
  baseMs: MINUTE_MS,
  maxMs: HOUR_MS,
  memoryMs: DAY_MS,
} as const;

/** How long an email is locked after its `failures`-th failure in a row (0 below the threshold). */
export function lockoutMs(failures: number): number {
  if (failures < LOCKOUT.threshold) return 0;
  return Math.min(LOCKOUT.baseMs * 2 ** Math.min(failures - LOCKOUT.threshold, 30), LOCKOUT.maxMs);
}

export async function loginLockedUntil(db: Db, email: string, nowMs: number): Promise<Date | null> {
  const row = await db.loginFailure.findUnique({ where: { email }, select: { lockedUntil: true } });
  return row?.lockedUntil && row.lockedUntil.getTime() > nowMs ? row.lockedUntil : null;
}

/** Counts one failed sign-in atomically; returns the new count and, from the threshold on, the lock's end. */
export async function recordLoginFailure(
  db: Db,
  email: string,
  nowMs: number,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const now = new Date(nowMs);
  const forgetBefore = new Date(nowMs - LOCKOUT.memoryMs);
  const rows = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO login_failures (email, failures, last_failure_at)
    VALUES (${email}, 1, ${now})
    ON CONFLICT (email) DO UPDATE SET
      failures = CASE WHEN login_failures.last_failure_at < ${forgetBefore} THEN 1
                      ELSE login_failures.failures + 1 END,
      last_failure_at = EXCLUDED.last_failure_at
    RETURNING failures`;
  const failures = rows[0]?.failures ?? 1;
  const ms = lockoutMs(failures);
  const lockedUntil = ms ? new Date(nowMs + ms) : null;
  if (lockedUntil) await db.loginFailure.update({ where: { email }, data: { lockedUntil } });
  // Old counts (mostly guessed emails) are dropped now and then, so the table stays small.
  if (failures === 1 && Math.random() < 0.01)
    await db.loginFailure.deleteMany({ where: { lastFailureAt: { lt: forgetBefore } } });
  return { failures, lockedUntil };
}

/** A successful sign-in forgets the email's failures. */
export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.loginFailure.deleteMany({ where: { email } });
}
