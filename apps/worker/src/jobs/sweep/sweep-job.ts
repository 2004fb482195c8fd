import type { Db } from "@burnrate/db";
import type { Logger } from "pino";
import { DISPATCHED_EVENT_KINDS } from "../../alerts";
import type { Enqueue } from "../../catalog";
import { sweepWindow } from "./sweep-window";

/** Events re-enqueued per sweep at most (the next sweep takes the rest). */
const SWEEP_BATCH = 500;

/**
 * Safety net for "no lost messages": an event whose dispatch was never enqueued (a worker or API killed
 * between writing the event and enqueuing) or whose job vanished gets enqueued again. The job id is the same
 * as the original's, so a job that still exists (waiting, active, delayed, failed) is not duplicated, and a
 * delivery already sent, failed or skipped is never retried.
 */
export function createDispatchSweepJob(deps: {
  db: Db;
  enqueue: Enqueue;
  now: () => number;
  log: Logger;
  graceMs?: number;
}) {
  return async () => {
    const { fromMs, toMs } = sweepWindow(deps.now(), deps.graceMs);
    const rows = await deps.db.$queryRawUnsafe<{ id: string; alert_id: string; kind: string }[]>(
      `SELECT e.id, e.alert_id, e.kind
         FROM alert_events e
        WHERE e.at > $1::timestamptz AND e.at < $2::timestamptz
          AND e.kind = ANY($3::text[])
          AND (e.detail IS NULL OR NOT (e.detail ? 'suppressed'))
          AND NOT EXISTS (
            SELECT 1 FROM slack_deliveries d
             WHERE d.idempotency_key = e.alert_id::text || ':' || e.id::text AND d.status <> 'pending')
        ORDER BY e.at
        LIMIT ${SWEEP_BATCH}`,
      new Date(fromMs).toISOString(),
      new Date(toMs).toISOString(),
      [...DISPATCHED_EVENT_KINDS],
    );
    for (const r of rows)
      await deps.enqueue("alert.dispatch", { alertId: r.alert_id, eventKind: r.kind, eventId: r.id });
    if (rows.length) deps.log.debug({ events: rows.length }, "dispatch sweep re-enqueued events");
    return { enqueued: rows.length };
  };
}
