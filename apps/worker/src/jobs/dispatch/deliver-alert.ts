import type { DispatchAlertJob } from "@burnrate/contracts";
import { UnrecoverableError } from "bullmq";
import { deliverEvent } from "./deliver-event";
import type { DispatchDeps } from "./dispatch-deps";
import type { Guard } from "./dispatch-lock";
import { pendingEvents } from "./pending-events";
import { withRetries } from "./retries";

/**
 * Delivers every pending event of the job's alert, oldest first, each with its own retries. A permanent
 * refusal of one event is recorded and the others are still tried; the job fails for good only when its own
 * event was refused.
 */
export async function deliverAlert(deps: DispatchDeps, payload: DispatchAlertJob, guard: Guard) {
  const exists = await deps.db.alert.findUnique({ where: { id: payload.alertId }, select: { id: true } });
  if (!exists) return { skipped: "alert deleted" };
  const events = await pendingEvents(deps.db, payload.alertId, payload.eventId);
  if (events.length === 0) return { skipped: "already delivered" };
  const delivered: Record<string, unknown>[] = [];
  let ownPermanent: UnrecoverableError | null = null;
  for (const ev of events) {
    try {
      delivered.push({
        eventId: ev.id,
        ...(await withRetries(deps, () => deliverEvent(deps, payload.alertId, ev, guard))),
      });
    } catch (e) {
      // A permanent refusal of one event is recorded; the alert's other events are still tried.
      if (!(e instanceof UnrecoverableError)) throw e;
      if (ev.id === payload.eventId) ownPermanent = e;
    }
  }
  if (ownPermanent) throw ownPermanent;
  return { delivered };
}
