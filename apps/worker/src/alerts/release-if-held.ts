import type { Db } from "@burnrate/db";
import type { Enqueue } from "../catalog";
import { recordEvent } from "./record-event";
import { heldBy } from "./suppression";

/**
 * When an open alert's last event was held back (snooze, silence or maintenance) and nothing holds it back
 * now, one "released" event brings Slack up to date: the first post if none was made, else an update and a
 * thread reply.
 */
export async function releaseIfHeld(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    alertId: string;
    severity: string;
    nowMs: number;
    /** The alert's last event's detail when the caller already read it (null: no event), else read here. */
    lastDetail?: unknown;
  },
): Promise<boolean> {
  const detail =
    a.lastDetail !== undefined
      ? a.lastDetail
      : (
          await deps.db.alertEvent.findFirst({
            where: { alertId: a.alertId },
            orderBy: [{ at: "desc" }],
          })
        )?.detail;
  const held = heldBy(detail);
  if (!held) return false;
  await recordEvent(deps, {
    alertId: a.alertId,
    kind: "released",
    nowMs: a.nowMs,
    detail: { severity: a.severity, reason: `${held} ended` },
    suppressed: null,
  });
  return true;
}
