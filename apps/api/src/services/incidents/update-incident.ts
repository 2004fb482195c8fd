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
  const { db, id, input } = deps;
  const current = await db.incident.findUnique({ where: { id } });
  if (!current) throw new NotFoundError("incident", id);
  assertCanUpdateIncident(deps.actor, current.teamIds);
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
  const by = actorLabel(deps.actor);
  const at = new Date(deps.nowMs);
  const entries: Prisma.IncidentEventCreateManyInput[] = [
    {
      incidentId: id,
      kind: "update",
      at,
      state: input.state ?? from,
      message: input.message,
      public: input.public,
      author: by,
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

  const written = await inTransaction(db, async (tx) => {
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
    if (w.count === 0) return false;
    await tx.incidentEvent.createMany({ data: entries });
    await storeTimes(tx, id);
    // The postmortem a priority requires is written with the resolution: no crash can leave one without the other.
    if (input.state === "resolved" && postmortemRequired(input.priority ?? current.priority))
      await ensurePostmortem(tx, { incidentId: id, by, nowMs: deps.nowMs, required: true });
    return true;
  });
  if (!written) throw new ConflictError(`incident ${current.number} changed while you updated it; try again`);
  const row = await db.incident.findUniqueOrThrow({ where: { id }, include: incidentInclude });
  const out = await toIncidentResponse(db, row, true);
  await recordAudit(db, {
    actor: deps.actor,
    action: "update",
    entity: "incident",
    entityId: id,
    teamId: current.teamIds[0] ?? null,
    after: { state: out.state, priority: out.priority, severity: out.severity, roles: out.roles },
  });
  return out;
}
