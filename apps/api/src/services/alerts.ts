import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type AlertResponse,
  type ListAlertsQuery,
} from "@burnrate/contracts";
import { Prisma, alertSnapshotOf, inTransaction, type Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import { MINUTE_MS, ackAlert, snoozeAlert } from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { alertEscalation } from "./escalation/alert-escalation";

const include = {
  slo: { include: { service: { include: { team: true } } } },
  events: { orderBy: { at: "asc" } },
} as const;
type AlertRow = Prisma.AlertGetPayload<{ include: typeof include }>;

export function toAlertResponse(a: AlertRow, withEvents = false): AlertResponse {
  return {
    id: a.id,
    sloId: a.sloId,
    sloName: a.slo.name,
    service: a.slo.service.slug,
    region: a.regionKey === "*" ? null : a.regionKey,
    kind: a.kind,
    state: a.state as AlertResponse["state"],
    severity: a.severity as AlertResponse["severity"],
    // the priority stored when it fired (derived from the burn) or, when its SLO has one, the SLO's
    priority: a.priority ?? a.slo.priority,
    firedAt: a.firedAt.toISOString(),
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: a.acknowledgedBy,
    snoozedUntil: a.snoozedUntil?.toISOString() ?? null,
    resolvedAt: a.resolvedAt?.toISOString() ?? null,
    slack: { channel: a.slackChannel, ts: a.slackTs, error: a.lastError },
    ...(withEvents
      ? { events: a.events.map((e) => ({ kind: e.kind, at: e.at.toISOString(), detail: e.detail })) }
      : {}),
  };
}

export async function listAlerts(deps: {
  db: Db;
  query: Omit<ListAlertsQuery, "from" | "to"> & { from?: Date; to?: Date };
}): Promise<AlertResponse[]> {
  const q = deps.query;
  const state = q.state === "open" ? { in: ["firing", "acknowledged"] } : q.state;
  if (q.from && q.to && q.from.getTime() > q.to.getTime())
    throw new ValidationError("query field 'from': must not be after 'to'", { field: "from" });
  const where: Prisma.AlertWhereInput = {
    ...(state ? { state } : {}),
    ...(q.sloId ? { sloId: q.sloId } : {}),
    ...(q.severity ? { severity: q.severity } : {}),
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.region ? { regionKey: q.region } : {}),
    ...(q.team || q.service
      ? {
          slo: {
            service: {
              ...(q.service ? { slug: q.service } : {}),
              ...(q.team ? { team: { slug: q.team } } : {}),
            },
          },
        }
      : {}),
    // The alert overlaps [from, to]: it fired before `to` and was still open at `from`.
    ...(q.to ? { firedAt: { lte: q.to } } : {}),
    ...(q.from ? { OR: [{ resolvedAt: null }, { resolvedAt: { gte: q.from } }] } : {}),
  };
  const rows = await deps.db.alert.findMany({
    where,
    include,
    orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { firedAt: "desc" }],
    take: q.limit,
  });
  return rows.map((a) => toAlertResponse(a));
}

export async function getAlert(deps: { db: Db; id: string }): Promise<AlertResponse> {
  const a = await deps.db.alert.findUnique({ where: { id: deps.id }, include });
  if (!a) throw new NotFoundError("alert", deps.id);
  const deliveries = await deps.db.receiverDelivery.findMany({
    where: { alertId: a.id },
    include: { receiver: { select: { name: true, kind: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return {
    ...toAlertResponse(a, true),
    escalation: await alertEscalation(deps.db, a.id),
    deliveries: deliveries.map((d) => ({
      receiver: d.receiver.name,
      kind: d.receiver.kind,
      type: d.type,
      status: d.status as "pending" | "sent" | "failed" | "skipped",
      attempts: d.attempts,
      sentAt: d.sentAt?.toISOString() ?? null,
      error: d.error,
    })),
  };
}

/** Acknowledge or snooze an open alert; records the event and asks the worker to update the Slack message. */
export async function actOnAlert(deps: {
  db: Db;
  enqueue: Enqueue;
  actor: Actor | null;
  by?: string;
  id: string;
  action: { kind: "ack" } | { kind: "snooze"; minutes: number };
  nowMs: number;
}): Promise<AlertResponse> {
  const { db, id, nowMs } = deps;
  const eventKind = deps.action.kind === "ack" ? "acknowledged" : "snoozed";
  // Optimistic: the evaluator rewrites the alert every cycle; if it did so between our read and our write,
  // read again, so an ack never reopens an alert that just resolved (and is never lost to a stale write).
  let event: { id: string } | null = null;
  for (let attempt = 0; attempt < 5 && !event; attempt++) {
    const a = await db.alert.findUnique({ where: { id }, include });
    if (!a) throw new NotFoundError("alert", id);
    if (deps.actor) assertCanWriteTeamOrOncall(deps.actor, a.slo.service.teamId);
    if (a.state === "resolved")
      throw new ValidationError(`alert ${id} is resolved; there is nothing to ${deps.action.kind}`);
    const by = deps.by ?? actorLabel(deps.actor);
    const prev = alertSnapshotOf(a);
    const r =
      deps.action.kind === "ack"
        ? ackAlert(prev, by, nowMs)
        : snoozeAlert(prev, nowMs + deps.action.minutes * MINUTE_MS, nowMs);
    event = await inTransaction(db, async (tx) => {
      const written = await tx.alert.updateMany({
        where: { id, updatedAt: a.updatedAt },
        data: {
          state: r.next.state === "ok" ? a.state : r.next.state,
          snoozedUntil: r.next.snoozedUntilMs ? new Date(r.next.snoozedUntilMs) : null,
          ...(deps.action.kind === "ack" ? { acknowledgedAt: new Date(nowMs), acknowledgedBy: by } : {}),
        },
      });
      if (written.count === 0) return null;
      // An ack stops the escalation at once (the worker also checks the alert's state before every notice).
      if (deps.action.kind === "ack")
        await tx.alertEscalation.updateMany({
          where: { alertId: id, nextAt: { not: null } },
          data: { nextAt: null, stopReason: "acknowledged" },
        });
      return tx.alertEvent.create({
        data: {
          alertId: id,
          kind: eventKind,
          at: new Date(nowMs),
          detail: { by, ...(deps.action.kind === "snooze" ? { minutes: deps.action.minutes } : {}) },
        },
      });
    });
  }
  if (!event) throw new ConflictError(`alert ${id} kept changing while you acted on it; try again`);
  await deps.enqueue("alert.dispatch", { alertId: id, eventKind, eventId: event.id });
  return getAlert({ db, id });
}

/** Acting on an alert is an on-call action: any editor of the owning team, admins, or write tokens. */
function assertCanWriteTeamOrOncall(actor: Actor, teamId: string): void {
  assertCanWriteTeam(actor, teamId);
}
