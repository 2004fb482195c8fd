import type { Db } from "@burnrate/db";
import type { Enqueue } from "../catalog";
import { suppressedDetail, type Suppression } from "./suppression";

/** Records an event on an alert and, unless it is suppressed, asks for a Slack dispatch. */
export async function recordEvent(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    alertId: string;
    kind: string;
    nowMs: number;
    detail: Record<string, unknown>;
    suppressed: Suppression | null;
  },
): Promise<void> {
  const ev = await deps.db.alertEvent.create({
    data: {
      alertId: a.alertId,
      kind: a.kind,
      at: new Date(a.nowMs),
      detail: { ...a.detail, ...suppressedDetail(a.suppressed) } as object,
    },
  });
  if (!a.suppressed)
    await deps.enqueue("alert.dispatch", { alertId: a.alertId, eventKind: a.kind, eventId: ev.id });
}
