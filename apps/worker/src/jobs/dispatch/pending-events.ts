import type { Db } from "@burnrate/db";
import { DISPATCHED_EVENT_KINDS } from "../../alerts";

/** An alert event that still needs its Slack delivery. */
export type PendingEvent = { id: string; kind: string; detail: unknown };

/** Every event of the alert that still needs a delivery (the job's own one included), oldest first. */
export async function pendingEvents(db: Db, alertId: string, eventId: string): Promise<PendingEvent[]> {
  return db.$queryRawUnsafe<PendingEvent[]>(
    `SELECT e.id, e.kind, e.detail
       FROM alert_events e
      WHERE e.alert_id = $1::uuid
        AND (e.id = $2::uuid OR (e.kind = ANY($3::text[])
             AND (e.detail IS NULL OR NOT (e.detail ? 'suppressed'))))
        AND NOT EXISTS (
          SELECT 1 FROM slack_deliveries d
           WHERE d.idempotency_key = e.alert_id::text || ':' || e.id::text AND d.status <> 'pending')
      ORDER BY e.at, (e.kind = 'fired') DESC, e.id`,
    alertId,
    eventId,
    [...DISPATCHED_EVENT_KINDS],
  );
}
