import type { Alert, Db, SloWithService } from "@burnrate/db";
import type { Enqueue } from "../catalog";
import { loadSuppressions } from "./load-suppressions";
import { noDataStep } from "./no-data-step";
import { fireAlert } from "./open-alert";
import { recordEvent } from "./record-event";
import { releaseIfHeld } from "./release-if-held";
import { findSuppression, type SuppressionSources } from "./suppression";

/**
 * The no-data alert of an SLO (all regions together): raised when the SLO had data and then its service sent
 * nothing for `noDataMinutes`, resolved when the service sends again (noDataStep).
 */
export async function evaluateNoData(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    row: SloWithService;
    lastDataMs: number | null;
    /** When the SLO's source was last heard from; default: when its service last sent a record. */
    lastSeenMs?: number | null;
    /** Why the source is silent (a Prometheus query's error), kept on the alert's event. */
    reason?: string | null;
    noDataMinutes: number;
    nowMs: number;
    /** The open no-data alert when the caller already read it (null: none), else read here. */
    open?: Alert | null;
    /** Suppressions in force when the caller already read them, else read here. */
    suppressions?: SuppressionSources;
    /** The open alert's last event's detail when the caller already read it. */
    lastDetail?: unknown;
  },
): Promise<void> {
  const { db } = deps;
  const open =
    a.open !== undefined
      ? a.open
      : await db.alert.findFirst({
          where: { sloId: a.row.id, kind: "no_data", state: { in: ["firing", "acknowledged"] } },
        });
  const lastSeenMs =
    a.lastSeenMs !== undefined ? a.lastSeenMs : (a.row.service.lastSeenAt?.getTime() ?? null);
  const step = noDataStep({
    lastDataMs: a.lastDataMs,
    lastSeenMs,
    noDataMinutes: a.noDataMinutes,
    nowMs: a.nowMs,
    open: open !== null,
  });
  if (step === "none") return;
  if (step === "resolve" && open) {
    await db.alert.update({
      where: { id: open.id },
      data: { state: "resolved", resolvedAt: new Date(a.nowMs) },
    });
    // Resolution always goes through (it corrects a message that would otherwise stay red).
    await recordEvent(deps, {
      alertId: open.id,
      kind: "resolved",
      nowMs: a.nowMs,
      detail: { severity: "ticket" },
      suppressed: null,
    });
    return;
  }
  const suppression = findSuppression(
    a.suppressions ?? (await loadSuppressions(db, a.nowMs, [a.row.serviceId])),
    { sloId: a.row.id, serviceId: a.row.serviceId, teamId: a.row.service.teamId, regionKey: "*" },
  );
  if (step === "fire") {
    await fireAlert(
      deps,
      {
        sloId: a.row.id,
        regionKey: "*",
        kind: "no_data",
        severity: "ticket",
        priority: null,
        tiers: [],
        nowMs: a.nowMs,
        detail: {
          severity: "ticket",
          noDataMinutes: a.noDataMinutes,
          lastSeenAt: new Date(lastSeenMs!).toISOString(),
          ...(a.reason ? { reason: a.reason } : {}),
        },
      },
      suppression,
    );
    return;
  }
  if (!open) return;
  const snoozed = open.snoozedUntil !== null && open.snoozedUntil.getTime() > a.nowMs;
  if (!suppression && !snoozed)
    await releaseIfHeld(deps, {
      alertId: open.id,
      severity: open.severity,
      nowMs: a.nowMs,
      lastDetail: a.lastDetail,
    });
}
