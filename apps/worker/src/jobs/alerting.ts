import { loadSliSeries, type Alert, type Db, type SloWithService } from "@burnrate/db";
import {
  PRIORITY_BY_BURN,
  budgetSpentInWindow,
  buildPrefixSums,
  burnRate,
  computeStatus,
  minuteEnd,
  priorityFromBurn,
  priorityFromRemaining,
  statusRange,
  windowCounts,
  type Priority,
  type SloModel,
} from "@burnrate/slo-core";
import type { Logger } from "pino";
import type { Enqueue } from "../catalog";

/** Events that the evaluator or the API hands to Slack (one dispatch each). */
export const DISPATCHED_EVENT_KINDS = [
  "fired",
  "refired",
  "escalated",
  "deescalated",
  "resolved",
  "acknowledged",
  "snoozed",
  "released",
] as const;

export type Suppression = { by: "snooze" | "silence" | "maintenance"; id: string | null; until: Date };

/** The silences and maintenance windows in force at one instant, and the region ids by slug. */
export interface SuppressionSources {
  silences: {
    id: string;
    endsAt: Date;
    teamId: string | null;
    serviceId: string | null;
    sloId: string | null;
    regionKey: string | null;
  }[];
  maintenance: { id: string; serviceId: string; regionId: string | null; endsAt: Date | null }[];
  regionIds: Map<string, string>;
}

/** Everything that may hold back alerts of the given services at `nowMs` (two small reads for a whole shard). */
export async function loadSuppressions(
  db: Db,
  nowMs: number,
  serviceIds: string[],
): Promise<SuppressionSources> {
  const now = new Date(nowMs);
  const [silences, maintenance, regions] = await Promise.all([
    db.silence.findMany({
      where: { startsAt: { lte: now }, endsAt: { gt: now } },
      select: { id: true, endsAt: true, teamId: true, serviceId: true, sloId: true, regionKey: true },
    }),
    db.deployment.findMany({
      where: { serviceId: { in: serviceIds }, kind: "maintenance", at: { lte: now }, endsAt: { gt: now } },
      select: { id: true, serviceId: true, regionId: true, endsAt: true },
    }),
    db.region.findMany({ select: { id: true, slug: true } }),
  ]);
  return { silences, maintenance, regionIds: new Map(regions.map((r) => [r.slug, r.id])) };
}

/**
 * The silence or maintenance window in force for an alert's SLO × region (the one that ends last). Silences
 * match by team, service, SLO and region (each optional); maintenance windows by service and region (a window
 * with no region covers every region). An all-regions alert ("*") is only covered by region-less entries.
 */
export function findSuppression(
  src: SuppressionSources,
  a: { sloId: string; serviceId: string; teamId: string; regionKey: string },
): Suppression | null {
  const byEnd = <T extends { endsAt: Date | null }>(xs: T[]) =>
    xs.sort((x, y) => (y.endsAt?.getTime() ?? 0) - (x.endsAt?.getTime() ?? 0))[0];
  const silence = byEnd(
    src.silences.filter(
      (x) =>
        (x.teamId === null || x.teamId === a.teamId) &&
        (x.serviceId === null || x.serviceId === a.serviceId) &&
        (x.sloId === null || x.sloId === a.sloId) &&
        (x.regionKey === null || x.regionKey === a.regionKey),
    ),
  );
  if (silence) return { by: "silence", id: silence.id, until: silence.endsAt };
  const regionId = a.regionKey === "*" ? null : (src.regionIds.get(a.regionKey) ?? null);
  const maintenance = byEnd(
    src.maintenance.filter(
      (m) =>
        m.serviceId === a.serviceId &&
        (m.regionId === null || (regionId !== null && m.regionId === regionId)),
    ),
  );
  if (maintenance) return { by: "maintenance", id: maintenance.id, until: maintenance.endsAt! };
  return null;
}

/**
 * The priority of an alert whose SLO has none (book Tbl 9.6 from how fast the budget burns, else Tbl 9.5
 * from how little is left when the trend runs out before the period ends). Null when no rule applies.
 */
export async function derivePriority(
  db: Db,
  a: { sloId: string; regionId: string | null; model: SloModel; nowMs: number },
): Promise<Priority | null> {
  const range = statusRange(a.model, a.nowMs);
  const series = await loadSliSeries(db, a.sloId, a.regionId, range.fromMs, range.toMs);
  const p = buildPrefixSums(series);
  const status = computeStatus(a.model, series, a.nowMs, p);
  const periodMs = status.period.endMs - status.period.startMs;
  const toMs = minuteEnd(a.nowMs);
  const rank = (x: Priority) => Number(x.slice(1));
  let best: Priority | null = null;
  for (const rule of PRIORITY_BY_BURN) {
    const spent = budgetSpentInWindow(
      burnRate(windowCounts(p, toMs - rule.withinMs, toMs), a.model.objective),
      rule.withinMs,
      periodMs,
    );
    const got = spent === null ? null : priorityFromBurn(spent, rule.withinMs);
    if (got && (!best || rank(got) < rank(best))) best = got;
  }
  if (best) return best;
  const leftMs = status.period.endMs - a.nowMs;
  const early =
    status.remaining <= 0 ||
    (status.timeToExhaustionHours !== null && status.timeToExhaustionHours * 3600_000 < leftMs);
  return priorityFromRemaining(status.remaining, early);
}

/**
 * Creates the one open alert of an SLO × region × kind, unless a concurrent evaluation already did (a
 * transaction-scoped advisory lock on the triple, then a re-check). Returns the new alert and its first event.
 */
export async function createAlertOnce(
  db: Db,
  data: {
    sloId: string;
    regionKey: string;
    kind: "burn_rate" | "no_data";
    severity: string;
    priority: string | null;
    tiers: object[];
    nowMs: number;
    eventKind: string;
    detail: Record<string, unknown>;
  },
): Promise<{ alertId: string; eventId: string } | null> {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`alert:${data.sloId}:${data.regionKey}:${data.kind}`}))::text`;
      const open = await tx.alert.findFirst({
        where: {
          sloId: data.sloId,
          regionKey: data.regionKey,
          kind: data.kind,
          state: { in: ["firing", "acknowledged"] },
        },
      });
      if (open) return null;
      const created = await tx.alert.create({
        data: {
          sloId: data.sloId,
          regionKey: data.regionKey,
          kind: data.kind,
          state: "firing",
          severity: data.severity,
          priority: data.priority,
          tiers: data.tiers,
          firedAt: new Date(data.nowMs),
          events: {
            create: { kind: data.eventKind, at: new Date(data.nowMs), detail: data.detail as object },
          },
        },
        include: { events: true },
      });
      return { alertId: created.id, eventId: created.events[0]!.id };
    },
    { timeout: 30_000 },
  );
}

/**
 * Opens an alert with its "fired" event (createAlertOnce; the event records the suppression in force, if any)
 * and, unless it is suppressed, asks for its Slack dispatch.
 */
export async function fireAlert(
  deps: { db: Db; enqueue: Enqueue },
  a: Omit<Parameters<typeof createAlertOnce>[1], "eventKind">,
  suppression: Suppression | null,
): Promise<void> {
  const created = await createAlertOnce(deps.db, {
    ...a,
    eventKind: "fired",
    detail: { ...a.detail, ...suppressedDetail(suppression) },
  });
  if (created && !suppression)
    await deps.enqueue("alert.dispatch", {
      alertId: created.alertId,
      eventKind: "fired",
      eventId: created.eventId,
    });
}

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

export function suppressedDetail(s: Suppression | null): Record<string, unknown> {
  return s ? { suppressed: s.by, suppressedUntil: s.until.toISOString(), suppressionId: s.id } : {};
}

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
  const held = (detail as { suppressed?: string } | null | undefined)?.suppressed;
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

/**
 * The no-data alert of an SLO (all regions together): raised when the SLO had data and then its service sent
 * nothing for `noDataMinutes`, resolved when the service sends again. "Sent" is when ingest last received a
 * record of the service (its wall clock), not the records' timestamps, so a backfill of old history is not
 * mistaken for a service that went quiet.
 */
export async function evaluateNoData(
  deps: { db: Db; enqueue: Enqueue },
  a: {
    row: SloWithService;
    lastDataMs: number | null;
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
  const lastSeenMs = a.row.service.lastSeenAt?.getTime() ?? null;
  if (a.lastDataMs === null || lastSeenMs === null) return; // never had data: nothing went missing
  const silent = lastSeenMs <= a.nowMs - a.noDataMinutes * 60_000;
  if (!silent && !open) return;
  const suppression = findSuppression(
    a.suppressions ?? (await loadSuppressions(db, a.nowMs, [a.row.serviceId])),
    { sloId: a.row.id, serviceId: a.row.serviceId, teamId: a.row.service.teamId, regionKey: "*" },
  );
  if (silent && !open) {
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
          lastSeenAt: new Date(lastSeenMs).toISOString(),
        },
      },
      suppression,
    );
    return;
  }
  if (!open) return;
  if (!silent) {
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
  const snoozed = open.snoozedUntil !== null && open.snoozedUntil.getTime() > a.nowMs;
  if (!suppression && !snoozed)
    await releaseIfHeld(deps, {
      alertId: open.id,
      severity: open.severity,
      nowMs: a.nowMs,
      lastDetail: a.lastDetail,
    });
}

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
    const nowMs = deps.now();
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
        LIMIT 500`,
      new Date(nowMs - 24 * 3600_000).toISOString(),
      new Date(nowMs - (deps.graceMs ?? 10_000)).toISOString(),
      [...DISPATCHED_EVENT_KINDS],
    );
    for (const r of rows)
      await deps.enqueue("alert.dispatch", { alertId: r.alert_id, eventKind: r.kind, eventId: r.id });
    if (rows.length) deps.log.debug({ events: rows.length }, "dispatch sweep re-enqueued events");
    return { enqueued: rows.length };
  };
}
