import type { Db } from "@burnrate/db";
import { MINUTE_MS } from "@burnrate/slo-core";
import type { Enqueue } from "../../catalog";

/**
 * An alert that fired this long ago and has no escalation yet gets one (a worker killed between the alert and
 * its escalation); an older one does not (an upgrade must not page for alerts that fired before it).
 */
export const ESCALATION_START_LOOKBACK_MS = 10 * MINUTE_MS;

/** An escalation's next notice, due at `nextAt`. */
export interface DueNotice {
  alert_id: string;
  pass: number;
  step: number;
  next_at: Date;
}

/**
 * Starts the escalation of firing alerts that have an escalation policy (the SLO's own, else its team's) and
 * none yet, and were not suppressed when they fired: the first notice is due when the alert fired. Idempotent
 * (one row per alert). `alertId` narrows it to one alert (right after it fired).
 */
export async function startEscalations(db: Db, o: { nowMs: number; alertId?: string }): Promise<DueNotice[]> {
  return db.$queryRawUnsafe<DueNotice[]>(
    `INSERT INTO alert_escalations (alert_id, policy_id, started_at, pass, step, next_at, updated_at)
     SELECT a.id, COALESCE(s.escalation_policy_id, t.escalation_policy_id), a.fired_at, 0, 0, a.fired_at, now()
       FROM alerts a
       JOIN slos s ON s.id = a.slo_id
       JOIN services v ON v.id = s.service_id
       JOIN teams t ON t.id = v.team_id
      WHERE a.state = 'firing' AND a.fired_at > $1::timestamptz
        AND ($2::uuid IS NULL OR a.id = $2::uuid)
        AND COALESCE(s.escalation_policy_id, t.escalation_policy_id) IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM alert_escalations e WHERE e.alert_id = a.id)
        AND NOT EXISTS (SELECT 1 FROM alert_events f
                         WHERE f.alert_id = a.id AND f.kind = 'fired' AND f.detail ? 'suppressed')
     ON CONFLICT (alert_id) DO NOTHING
     RETURNING alert_id, pass, step, next_at`,
    new Date(o.nowMs - ESCALATION_START_LOOKBACK_MS).toISOString(),
    o.alertId ?? null,
  );
}

/** Adds the delayed job of a notice (its id names the notice and its due time: adding it twice adds one). */
export async function enqueueNotice(enqueue: Enqueue, n: DueNotice, nowMs: number): Promise<void> {
  const atMs = n.next_at.getTime();
  await enqueue(
    "alert.escalate",
    { alertId: n.alert_id, pass: n.pass, step: n.step, atMs },
    { delayMs: atMs - nowMs },
  );
}
