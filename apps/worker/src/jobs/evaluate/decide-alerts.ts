import { DEFAULT_NO_DATA_MINUTES } from "@burnrate/contracts";
import { alertSnapshotOf, type Db, type LoadedSlo, type SloRegionData } from "@burnrate/db";
import {
  evaluateTiers,
  nextAlertState,
  type AlertSnapshot,
  type SampledSums,
  type SloModel,
  type TierDecision,
} from "@burnrate/slo-core";
import type { Enqueue } from "../../catalog";
import {
  derivePriority,
  evaluateNoData,
  findSuppression,
  fireAlert,
  recordEvent,
  releaseIfHeld,
  type Suppression,
  type SuppressionSources,
} from "../../alerts";
import type { ShardAlerts } from "./shard-alerts";

const OK: AlertSnapshot = {
  state: "ok",
  severity: null,
  snoozedUntilMs: null,
  firedAtMs: null,
  ackedBy: null,
};

/**
 * Decides the alerts of one SLO at `nowMs`: the burn-rate tiers of every region with sums or an open alert
 * (slo-core), then its no-data alert. Writes only where an alert exists or starts firing.
 */
export async function decideSloAlerts(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    slo: LoadedSlo;
    model: SloModel;
    /** The regions where the SLO has data. */
    regions: SloRegionData[];
    /** The running totals the tiers read, by region slug. */
    sums: Map<string, SampledSums>;
    alerts: ShardAlerts;
    nowMs: number;
    toMs: number;
    /**
     * Only what pages: a burn-rate alert that opens (or opens again) or escalates, as the same decisions give
     * it; nothing else is written, and the no-data alert is not looked at (the fast pass, between cycles).
     */
    pageOnly?: boolean;
    /**
     * A pulled source's own no-data input (Prometheus: its last answer with data, and why it is silent), and
     * whether its burn-rate tiers are decided this cycle (not when the pull failed: no numbers, no change).
     */
    source?: {
      lastDataMs: number;
      lastSeenMs: number;
      noDataMinutes: number;
      reason: string | null;
      decideBurn: boolean;
    };
  },
): Promise<void> {
  const { slo, model, regions, nowMs, alerts } = a;
  const mine = alerts.openBySlo.get(slo.id) ?? [];
  const burn = a.source?.decideBurn === false ? [] : mine.filter((x) => x.kind === "burn_rate");
  const keys = new Set([...a.sums.keys(), ...burn.map((x) => x.regionKey)]);
  for (const regionKey of keys) {
    const s = a.sums.get(regionKey);
    const decisions = s
      ? evaluateTiers(s, a.toMs, model.objective, model.tiers, model.guard)
      : ([] as TierDecision[]);
    const current = burn.find((x) => x.regionKey === regionKey) ?? null;
    // Nothing open and nothing firing: nothing to write (most SLOs, most of the time).
    if (!current && nextAlertState(OK, decisions, nowMs).next.state !== "firing") continue;
    if (a.pageOnly && !pages(current ? alertSnapshotOf(current) : OK, decisions, nowMs)) continue;
    await applyDecisions(deps, {
      slo,
      model,
      regionKey,
      regionId: regions.find((r) => r.slug === regionKey)?.id ?? null,
      current,
      decisions,
      nowMs,
      suppressions: alerts.suppressions,
      lastDetail: current ? (alerts.lastDetail.get(current.id) ?? null) : null,
    });
  }
  if (a.pageOnly) return;
  const noData = mine.find((x) => x.kind === "no_data") ?? null;
  await evaluateNoData(deps, {
    row: slo.row,
    ...(a.source
      ? {
          lastDataMs: a.source.lastDataMs,
          lastSeenMs: a.source.lastSeenMs,
          reason: a.source.reason,
          noDataMinutes: slo.spec.alerting?.noDataMinutes ?? a.source.noDataMinutes,
        }
      : {
          lastDataMs: regions.length ? Math.max(...regions.map((r) => r.lastMs)) : null,
          noDataMinutes: slo.spec.alerting?.noDataMinutes ?? DEFAULT_NO_DATA_MINUTES,
        }),
    nowMs,
    open: noData,
    suppressions: alerts.suppressions,
    lastDetail: noData ? (alerts.lastDetail.get(noData.id) ?? null) : null,
  });
}

/** Whether the decisions open (or open again) or escalate the alert: what a page is. */
function pages(prev: AlertSnapshot, decisions: TierDecision[], nowMs: number): boolean {
  return nextAlertState(prev, decisions, nowMs).notify.some(
    (n) => n.kind === "fired" || n.kind === "refired" || n.kind === "escalated",
  );
}

/** Moves one SLO × region's burn-rate alert to its next state (slo-core) and records what changed. */
async function applyDecisions(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    slo: LoadedSlo;
    model: SloModel;
    regionKey: string;
    regionId: string | null;
    current: {
      id: string;
      state: string;
      severity: string;
      priority: string | null;
      snoozedUntil: Date | null;
      firedAt: Date;
      acknowledgedBy: string | null;
      updatedAt: Date;
    } | null;
    decisions: TierDecision[];
    nowMs: number;
    suppressions: SuppressionSources;
    /** The open alert's last event's detail (read for the whole shard at once). */
    lastDetail: unknown;
  },
): Promise<void> {
  const { db } = deps;
  const { row } = a.slo;
  const sloId = row.id;
  const prev = a.current ? alertSnapshotOf(a.current) : OK;
  const { next, notify } = nextAlertState(prev, a.decisions, a.nowMs);
  // What would have been sent without the snooze: those events are kept on the timeline, marked as held.
  const unsnoozed = nextAlertState({ ...prev, snoozedUntilMs: null }, a.decisions, a.nowMs).notify;
  const tiers = a.decisions.map((d) => ({ ...d }));
  if (!a.current && next.state !== "firing") return;
  const suppression = findSuppression(a.suppressions, {
    sloId,
    serviceId: row.serviceId,
    teamId: row.service.teamId,
    regionKey: a.regionKey,
  });
  // The SLO's own priority, else one derived from the burn (stored on the alert; the message says so).
  const derive = async () =>
    row.priority ? null : derivePriority(db, { sloId, regionId: a.regionId, model: a.model, nowMs: a.nowMs });
  if (!a.current) {
    await fireAlert(
      deps,
      {
        sloId,
        regionKey: a.regionKey,
        kind: "burn_rate",
        severity: next.severity ?? "ticket",
        priority: await derive(),
        tiers,
        nowMs: a.nowMs,
        detail: { severity: next.severity, tiers: tiers.filter((t) => t.firing).map((t) => t.tier) },
      },
      suppression,
    );
    return;
  }
  const resolved = next.state === "resolved" || next.state === "ok";
  const escalated =
    notify.some((n) => n.kind === "escalated") || unsnoozed.some((n) => n.kind === "escalated");
  // Optimistic: an ack or snooze that landed since this evaluation read the alert wins; the next cycle
  // evaluates again from the fresh row.
  const written = await db.alert.updateMany({
    where: { id: a.current.id, updatedAt: a.current.updatedAt },
    data: {
      state: resolved ? "resolved" : next.state,
      severity: next.severity ?? a.current.severity,
      tiers,
      snoozedUntil: next.snoozedUntilMs ? new Date(next.snoozedUntilMs) : null,
      ...(escalated && !row.priority ? { priority: (await derive()) ?? a.current.priority } : {}),
      ...(resolved ? { resolvedAt: new Date(a.nowMs) } : {}),
    },
  });
  if (written.count === 0) return;
  const snoozeHold: Suppression | null = next.snoozedUntilMs
    ? { by: "snooze", id: null, until: new Date(next.snoozedUntilMs) }
    : null;
  let recorded = false;
  for (const n of unsnoozed) {
    recorded = true;
    const passesSnooze = notify.some((x) => x.kind === n.kind);
    // Resolution always goes through: it corrects a message that would otherwise stay red.
    const held = n.kind === "resolved" ? null : (suppression ?? (passesSnooze ? null : snoozeHold));
    await recordEvent(deps, {
      alertId: a.current.id,
      kind: n.kind,
      nowMs: a.nowMs,
      detail: { severity: next.severity },
      suppressed: held,
    });
  }
  // An event recorded just now is the last one, and it was not held (nothing holds the alert back here).
  if (!resolved && !suppression && !next.snoozedUntilMs && !recorded)
    await releaseIfHeld(deps, {
      alertId: a.current.id,
      severity: next.severity ?? a.current.severity,
      nowMs: a.nowMs,
      lastDetail: a.lastDetail,
    });
}
