/** The storm's drain: every event delivered (or given up on), every state settled, every message up to date. */
import type { Db } from "../../../packages/db/src/index.ts";
import { SECOND_MS } from "../../../packages/slo-core/src/time-units.ts";
import { sleep } from "../lib.ts";

/** The alert event kinds that go to Slack. */
const DISPATCHED = [
  "fired",
  "refired",
  "escalated",
  "deescalated",
  "resolved",
  "acknowledged",
  "snoozed",
  "released",
];

/** Events of those kinds (not suppressed) without a delivery past 'pending' (sent, or failed for good). */
export async function undelivered(db: Db) {
  const [r] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM alert_events e
      WHERE e.kind = ANY($1::text[]) AND (e.detail IS NULL OR NOT (e.detail ? 'suppressed'))
        AND NOT EXISTS (SELECT 1 FROM slack_deliveries d
                         WHERE d.idempotency_key = e.alert_id::text || ':' || e.id::text
                           AND d.status <> 'pending')`,
    DISPATCHED,
  );
  return r?.n ?? -1;
}

/**
 * When the storm settled (nothing pending, no new event, for 5 s: the start of those 5 s), or null when it had
 * not `limitMs` after the last fault.
 */
export async function drain(db: Db, faultsEndedAt: number, limitMs: number): Promise<number | null> {
  let drainedAt: number | null = null;
  let stableSince = 0;
  let lastEvents = -1;
  while (Date.now() - faultsEndedAt < limitMs) {
    const pending = await undelivered(db).catch(() => -1);
    const events = await db.alertEvent.count().catch(() => -1);
    if (pending === 0 && events === lastEvents) {
      stableSince ||= Date.now();
      // Settled for 5 s: no new event, nothing pending.
      if (Date.now() - stableSince >= 5 * SECOND_MS) {
        drainedAt = stableSince;
        break;
      }
    } else stableSince = 0;
    lastEvents = events;
    await sleep(500);
  }
  return drainedAt;
}
