import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type IncidentResponse,
  type IncidentUpdateBody,
} from "@burnrate/contracts";
import { Prisma, inTransaction, type Db } from "@burnrate/db";
import { incidentTransition, type IncidentState } from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { assertCanUpdateIncident } from "./incident-access";
import { incidentInclude, storeTimes, toIncidentResponse } from "./incident-response";
import { checkRoles } from "./incident-roles";
import { ensurePostmortem, postmortemRequired } from "./postmortems";

type Incident = Prisma.IncidentGetPayload<object>;

/**
 * Posts an update: a message (public or not) and optionally a new state, priority, severity or roles. Each
 * change is its own timeline entry, so the record shows when the priority moved (book Fig 9.5).
 */
export async function postIncidentUpdate(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: IncidentUpdateBody;
  nowMs: number;
}): Promise<IncidentResponse> {
  const { db, id } = deps;
  const current = await db.incident.findUnique({ where: { id } });
  if (!current) throw new NotFoundError("incident", id);
  assertCanUpdateIncident(deps.actor, current.teamIds);
  const out = await applyIncidentUpdate({ ...deps, current, by: actorLabel(deps.actor) });
  return out!;
}

/**
 * When an update's entries happened: now, or the earlier moment the caller gives (a commander recording what
 * happened before). Never in the future nor before the incident's start; a state change never before the last
 * one, so the states keep their order.
 */
async function entryTime(db: Db, current: Incident, input: IncidentUpdateBody, nowMs: number): Promise<Date> {
  if (!input.at) return new Date(nowMs);
  const bad = (reason: string) => new ValidationError(`body field 'at': ${reason}`, { field: "at" });
  if (input.at.getTime() > nowMs) throw bad("must not be in the future");
  if (input.at.getTime() < current.startedAt.getTime())
    throw bad(`must not be before the incident's start (${current.startedAt.toISOString()})`);
  if (input.state) {
    const last = await db.incidentEvent.findFirst({
      where: { incidentId: current.id, kind: "state" },
      orderBy: { at: "desc" },
    });
    if (last && input.at.getTime() < last.at.getTime())
      throw bad(`a state change must not be before the last one (${last.at.toISOString()})`);
  }
  return input.at;
}

/** Where an update came from when it was not the API: a status message in the incident's Slack channel. */
export interface UpdateSource {
  /** Written with the update, once: a second delivery of the same message changes nothing. */
  key: string;
  detail: Record<string, string | null>;
}

/**
 * Writes an update of an incident the caller may change (checked by the caller): its entries, the new
 * state, priority, severity and roles, and the stored times. With a `source`, the update is written at most
 * once per source key; a repeat returns null.
 */
export async function applyIncidentUpdate(deps: {
  db: Db;
  actor: Actor | null;
  current: Incident;
  by: string;
  input: IncidentUpdateBody;
  nowMs: number;
  source?: UpdateSource;
}): Promise<IncidentResponse | null> {
  const { db, current, input, by } = deps;
  const id = current.id;
  const from = current.state as IncidentState;
  if (from === "resolved")
    throw new ConflictError(`incident ${current.number} is resolved; open a new incident`, {
      field: "state",
    });
  if (input.state) {
    const t = incidentTransition(from, input.state);
    if (!t.ok) throw new ValidationError(`body field 'state': ${t.reason}`, { field: "state" });
  }
  const roles = await checkRoles(db, input.roles, "");
  const at = await entryTime(db, current, input, deps.nowMs);
  const entries: Prisma.IncidentEventCreateManyInput[] = [
    {
      incidentId: id,
      kind: "update",
      at,
      state: input.state ?? from,
      message: input.message,
      public: input.public,
      author: by,
      ...(deps.source ? { detail: deps.source.detail } : {}),
    },
  ];
  if (input.state)
    entries.push({
      incidentId: id,
      kind: "state",
      at,
      state: input.state,
      author: by,
      detail: { from, to: input.state },
    });
  if (input.priority && input.priority !== current.priority)
    entries.push({
      incidentId: id,
      kind: "priority",
      at,
      author: by,
      detail: { from: current.priority, to: input.priority },
    });
  if (input.severity && input.severity !== current.severity)
    entries.push({
      incidentId: id,
      kind: "severity",
      at,
      author: by,
      detail: { from: current.severity, to: input.severity },
    });
  if (Object.keys(roles).length > 0)
    entries.push({ incidentId: id, kind: "roles", at, author: by, detail: roles });

  const conflict = new ConflictError(`incident ${current.number} changed while you updated it; try again`);
  const written = await inTransaction(db, async (tx) => {
    if (deps.source) {
      const first = await tx.incidentSlackEntry.createMany({
        data: [{ key: deps.source.key, incidentId: id }],
        skipDuplicates: true,
      });
      if (first.count === 0) return null;
    }
    // Optimistic: two people changing the state at once must not both win.
    const w = await tx.incident.updateMany({
      where: { id, updatedAt: current.updatedAt },
      data: {
        ...(input.state ? { state: input.state } : {}),
        ...(input.priority ? { priority: input.priority } : {}),
        ...(input.severity ? { severity: input.severity } : {}),
        ...roles,
      },
    });
    // Thrown, not returned: the source's key written above is rolled back, so the source can be sent again.
    if (w.count === 0) throw conflict;
    await tx.incidentEvent.createMany({ data: entries });
    await storeTimes(tx, id);
    // The postmortem a priority requires is written with the resolution: no crash can leave one without the other.
    if (input.state === "resolved" && (await postmortemRequired(tx, input.priority ?? current.priority)))
      await ensurePostmortem(tx, { incidentId: id, by, nowMs: deps.nowMs, required: true });
    return true;
  });
  if (written === null) return null;
  const row = await db.incident.findUniqueOrThrow({ where: { id }, include: incidentInclude });
  const out = await toIncidentResponse(db, row, true);
  await recordAudit(db, {
    actor: deps.actor,
    by,
    action: "update",
    entity: "incident",
    entityId: id,
    teamId: current.teamIds[0] ?? null,
    after: { state: out.state, priority: out.priority, severity: out.severity, roles: out.roles },
  });
  return out;
}
