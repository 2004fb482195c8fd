import {
  AppError,
  NotFoundError,
  ValidationError,
  type SendStakeholderNotificationBody,
  type StakeholderNotificationResponse,
} from "@burnrate/contracts";
import { stakeholderRecipients, type Db, type Prisma, type StakeholderRecipients } from "@burnrate/db";
import { MINUTE_MS, bracketCheck, type BracketKind } from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertCanUpdateIncident } from "../incidents/incident-access";
import { incidentInclude, timesOf } from "../incidents/incident-response";

const include = { ring: true } as const;
type Row = Prisma.StakeholderNotificationGetPayload<{ include: typeof include }>;

export const toNotificationResponse = (n: Row): StakeholderNotificationResponse => ({
  id: n.id,
  incidentId: n.incidentId,
  ring: { number: n.ring.number, name: n.ring.name },
  recipients: n.recipients as unknown as StakeholderRecipients,
  kind: n.kind as BracketKind,
  geography: n.geography,
  products: n.products,
  message: n.message,
  sentAt: n.sentAt.toISOString(),
  nextUpdateDueAt: n.nextUpdateDueAt?.toISOString() ?? null,
  ttrMinutes: n.ttrMinutes,
  trigger: n.trigger as StakeholderNotificationResponse["trigger"],
  author: n.author,
});

/**
 * Sends one message of the incident's bracket to a ring: to the ring's own channels and addresses and to the
 * subscribers of its groups whose targeting cells cover the message's geography and products (the worker
 * delivers it): the first opens the bracket, updates follow, each saying when the next comes; the last, once
 * the incident is resolved, gives the time to recovery.
 */
export async function sendNotification(deps: {
  db: Db;
  actor: Actor | null;
  incidentId: string;
  input: SendStakeholderNotificationBody;
  nowMs: number;
}): Promise<StakeholderNotificationResponse> {
  const { db, input } = deps;
  const incident = await db.incident.findUnique({ where: { id: deps.incidentId }, include: incidentInclude });
  if (!incident) throw new NotFoundError("incident", deps.incidentId);
  assertCanUpdateIncident(deps.actor, incident.teamIds);
  const ring = await db.stakeholderRing.findUnique({ where: { number: input.ring } });
  if (!ring)
    throw new ValidationError(`body field 'ring': ring ${input.ring} does not exist`, { field: "ring" });
  const sent = await db.stakeholderNotification.findMany({
    where: { incidentId: incident.id, ringId: ring.id },
    select: { kind: true },
  });
  const check = bracketCheck({
    sent: sent.map((s) => s.kind as BracketKind),
    kind: input.kind,
    incidentResolved: incident.state === "resolved",
    nextUpdateGiven: input.nextUpdateInMinutes !== undefined,
  });
  if (!check.ok)
    throw new AppError(
      check.status === 400 ? "validation_error" : "conflict",
      `body field '${check.field}': ${check.reason}`,
      {
        field: check.field,
      },
    );
  const times = timesOf(incident);
  const recipients = await stakeholderRecipients(db, ring.id, input);
  const row = await db.stakeholderNotification.create({
    data: {
      incidentId: incident.id,
      ringId: ring.id,
      kind: input.kind,
      geography: input.geography,
      products: input.products,
      message: input.message,
      sentAt: new Date(deps.nowMs),
      nextUpdateDueAt:
        input.kind === "last" || input.nextUpdateInMinutes === undefined
          ? null
          : new Date(deps.nowMs + input.nextUpdateInMinutes * MINUTE_MS),
      ttrMinutes: input.kind === "last" ? times.ttrMinutes : null,
      trigger: "manual",
      author: actorLabel(deps.actor),
      recipients: recipients as unknown as Prisma.InputJsonValue,
    },
    include,
  });
  return toNotificationResponse(row);
}

export async function listNotifications(deps: {
  db: Db;
  incidentId: string;
}): Promise<StakeholderNotificationResponse[]> {
  if (!(await deps.db.incident.findUnique({ where: { id: deps.incidentId } })))
    throw new NotFoundError("incident", deps.incidentId);
  const rows = await deps.db.stakeholderNotification.findMany({
    where: { incidentId: deps.incidentId },
    include,
    orderBy: [{ sentAt: "asc" }, { ring: { number: "asc" } }],
  });
  return rows.map(toNotificationResponse);
}
