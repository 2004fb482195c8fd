import { ValidationError, type CreateIncidentBody, type IncidentResponse } from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import { actorLabel, type Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { assertCanOpenIncident } from "./incident-access";
import { incidentInclude, storeTimes, toIncidentResponse } from "./incident-response";
import { checkRoles } from "./incident-roles";

const PRIORITY_ORDER = ["P1", "P2", "P3", "P4", "P5"];

/**
 * Opens an incident by hand or from alerts. Linked alerts bring their services, regions and teams, the
 * detection time (the earliest fired) and the acknowledgement (the earliest ack); the priority defaults to
 * the highest of theirs.
 */
export async function createIncident(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateIncidentBody;
  nowMs: number;
  /**
   * Opened from Slack (a verified request of someone in the workspace, like its Acknowledge button): the
   * person's name instead of an actor, and an alert that already has an open incident gets no second one.
   */
  fromSlack?: { by: string };
}): Promise<IncidentResponse & { reused?: boolean }> {
  const { db, input } = deps;
  const alertIds = [...new Set(input.alertIds ?? [])];
  const alerts = await db.alert.findMany({
    where: { id: { in: alertIds } },
    include: { slo: { include: { service: true } } },
  });
  const missing = alertIds.find((id) => !alerts.some((a) => a.id === id));
  if (missing)
    throw new ValidationError(`body field 'alertIds': alert '${missing}' does not exist`, {
      field: "alertIds",
    });
  const slugs = [...new Set(input.services ?? [])];
  const services = await db.service.findMany({ where: { slug: { in: slugs } } });
  const unknown = slugs.find((s) => !services.some((x) => x.slug === s));
  if (unknown)
    throw new ValidationError(`body field 'services': service '${unknown}' does not exist`, {
      field: "services",
    });
  const regionSlugs = [...new Set(input.regions ?? [])];
  const regions = await db.region.findMany({ where: { slug: { in: regionSlugs } } });
  const unknownRegion = regionSlugs.find((s) => !regions.some((r) => r.slug === s));
  if (unknownRegion)
    throw new ValidationError(`body field 'regions': region '${unknownRegion}' does not exist`, {
      field: "regions",
    });
  if (input.startedAt && input.startedAt.getTime() > deps.nowMs)
    throw new ValidationError("body field 'startedAt': must not be in the future", { field: "startedAt" });
  const roles = await checkRoles(db, input.roles, "");

  const serviceIds = [...new Set([...services.map((s) => s.id), ...alerts.map((a) => a.slo.serviceId)])];
  const teamIds = [
    ...new Set([...services.map((s) => s.teamId), ...alerts.map((a) => a.slo.service.teamId)]),
  ];
  if (!deps.fromSlack) assertCanOpenIncident(deps.actor, teamIds);
  const regionKeys = [
    ...new Set([...regionSlugs, ...alerts.flatMap((a) => (a.regionKey === "*" ? [] : [a.regionKey]))]),
  ];
  const alertPriorities = alerts
    .map((a) => a.priority ?? a.slo.priority)
    .filter((p): p is string => !!p && PRIORITY_ORDER.includes(p))
    .sort((a, b) => PRIORITY_ORDER.indexOf(a) - PRIORITY_ORDER.indexOf(b));
  const priority = input.priority ?? alertPriorities[0] ?? null;
  const by = deps.fromSlack?.by ?? actorLabel(deps.actor);
  const now = new Date(deps.nowMs);
  const firstFired = alerts.reduce((m, a) => Math.min(m, a.firedAt.getTime()), deps.nowMs);
  const startedAt = input.startedAt ?? new Date(firstFired);
  if (input.at && input.at.getTime() > deps.nowMs)
    throw new ValidationError("body field 'at': must not be in the future", { field: "at" });
  if (input.at && input.at.getTime() < startedAt.getTime())
    throw new ValidationError(`body field 'at': must not be before startedAt (${startedAt.toISOString()})`, {
      field: "at",
    });
  /** When it was opened: now, or the earlier moment the caller records. */
  const openedAt = input.at ?? now;

  const made = await inTransaction(db, async (tx) => {
    if (deps.fromSlack && alerts.length) {
      // Two clicks at once: the alerts' rows are locked, so the second sees the first's incident.
      await tx.$queryRaw`SELECT id FROM alerts WHERE id = ANY(${alerts.map((a) => a.id)}::uuid[]) FOR UPDATE`;
      const open = await tx.incidentAlert.findFirst({
        where: { alertId: { in: alerts.map((a) => a.id) }, incident: { state: { not: "resolved" } } },
        orderBy: { linkedAt: "asc" },
      });
      if (open) return { id: open.incidentId, reused: true };
    }
    const row = await tx.incident.create({
      data: {
        title: input.title,
        state: "investigating",
        priority,
        severity: input.severity ?? null,
        teamIds,
        serviceIds,
        regions: regionKeys,
        products: [...new Set(input.products ?? [])],
        commander: roles.commander ?? null,
        communicationsLead: roles.communicationsLead ?? null,
        opsLead: roles.opsLead ?? null,
        startedAt,
        detectedAt: startedAt,
        createdBy: by,
        createdAt: now,
        alerts: { create: alerts.map((a) => ({ alertId: a.id, linkedAt: now })) },
      },
    });
    await tx.incidentEvent.create({
      data: {
        incidentId: row.id,
        kind: "opened",
        at: openedAt,
        state: "investigating",
        message: input.message ?? null,
        public: input.public ?? false,
        author: by,
        detail: { priority, severity: input.severity ?? null, alertIds: alerts.map((a) => a.id), ...roles },
      },
    });
    await storeTimes(tx, row.id);
    return { id: row.id, reused: false };
  });
  const id = made.id;
  const created = await db.incident.findUniqueOrThrow({ where: { id }, include: incidentInclude });
  const out = await toIncidentResponse(db, created, true);
  if (made.reused) return { ...out, reused: true };
  await recordAudit(db, {
    actor: deps.actor,
    by,
    action: "create",
    entity: "incident",
    entityId: id,
    teamId: teamIds[0] ?? null,
    after: { title: out.title, priority: out.priority, severity: out.severity, alertIds: out.alertIds },
  });
  return out;
}
