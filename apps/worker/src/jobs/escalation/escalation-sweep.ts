import type { Db } from "@burnrate/db";
import type { Logger } from "pino";
import type { Enqueue } from "../../catalog";
import { enqueueNotice, startEscalations, type DueNotice } from "./start-escalations";

/**
 * Nothing can start, resume or be due without a firing alert or a pending notice: one index probe each. The
 * sweep's first read, and its gate's condition (schedules.ts).
 */
export const ESCALATION_BUSY_SQL = `EXISTS (SELECT 1 FROM alerts WHERE state = 'firing')
           OR EXISTS (SELECT 1 FROM alert_escalations WHERE next_at IS NOT NULL)`;

/** Due notices re-enqueued per sweep at most (the next sweep takes the rest). */
const SWEEP_BATCH = 500;

/**
 * Every few seconds: starts the escalations of alerts that fired without one (a crash between the two), resumes
 * a ticket's escalation once its alert became a page, and enqueues every notice that is due. Escalations live
 * in Postgres, so a Redis that lost its delayed jobs, or a worker killed mid-notice, costs at most one sweep.
 */
export function createEscalationSweepJob(deps: { db: Db; enqueue: Enqueue; now: () => number; log: Logger }) {
  return async () => {
    const nowMs = deps.now();
    // An idle installation's sweep ends here (its gate does not add it then; a sweep added just before the
    // last alert resolved still may run).
    const [busy] = await deps.db.$queryRawUnsafe<{ busy: boolean }[]>(
      `SELECT ${ESCALATION_BUSY_SQL} AS busy`,
    );
    if (!busy?.busy) return { started: 0, resumed: 0, enqueued: 0 };
    const started = await startEscalations(deps.db, { nowMs });
    // A ticket that only notified (or did nothing) escalates once the alert is a page, from where it stopped.
    const resumed = await deps.db.$executeRawUnsafe(
      `UPDATE alert_escalations e SET next_at = $1::timestamptz, stop_reason = NULL, updated_at = now()
         FROM alerts a
        WHERE a.id = e.alert_id AND e.stop_reason = 'ticket' AND a.state = 'firing' AND a.severity = 'page'`,
      new Date(nowMs).toISOString(),
    );
    const due = await deps.db.$queryRawUnsafe<DueNotice[]>(
      `SELECT alert_id, pass, step, next_at FROM alert_escalations
        WHERE next_at IS NOT NULL AND next_at <= $1::timestamptz
        ORDER BY next_at LIMIT ${SWEEP_BATCH}`,
      new Date(nowMs).toISOString(),
    );
    const seen = new Set<string>();
    for (const n of [...started, ...due]) {
      const id = `${n.alert_id}:${n.pass}:${n.step}:${n.next_at.getTime()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      await enqueueNotice(deps.enqueue, n, nowMs);
    }
    if (started.length || resumed) deps.log.info({ started: started.length, resumed }, "escalations started");
    return { started: started.length, resumed, enqueued: seen.size };
  };
}
