import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type CreateReceiverBody,
  type CreatedReceiverResponse,
  type PatchReceiverBody,
  type ReceiverDeliveryResponse,
  type ReceiverResponse,
} from "@burnrate/contracts";
import { inTransaction, type Db, type SecretBox } from "@burnrate/db";
import { randomBytes } from "node:crypto";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";

type Row = {
  id: string;
  name: string;
  kind: string;
  url: string | null;
  severities: string[];
  secretHint: string | null;
  enabled: boolean;
  events: string[];
  createdAt: Date;
  team: { slug: string };
};

/** A receiver as the API shows it: never its secret, only the secret's last 4 characters. */
function receiverResponse(r: Row): ReceiverResponse {
  return {
    id: r.id,
    team: r.team.slug,
    name: r.name,
    kind: r.kind as ReceiverResponse["kind"],
    url: r.url,
    severities: r.severities as ReceiverResponse["severities"],
    secretHint: r.secretHint,
    enabled: r.enabled,
    events: r.events as ReceiverResponse["events"],
    createdAt: r.createdAt.toISOString(),
  };
}

const hintOf = (secret: string) => `…${secret.slice(-4)}`;

/** Creates a receiver; a webhook's signing secret is generated here and returned this once. */
export async function createReceiver(deps: {
  db: Db;
  /** Seals the secret at rest (BURNRATE_SECRET_KEY). */
  secrets: SecretBox;
  actor: Actor | null;
  input: CreateReceiverBody;
}): Promise<CreatedReceiverResponse> {
  const { db, input } = deps;
  const team = await db.team.findUnique({ where: { slug: input.team } });
  if (!team)
    throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
  assertCanWriteTeam(deps.actor, team.id);
  const taken = await db.receiver.findUnique({
    where: { teamId_name: { teamId: team.id, name: input.name } },
  });
  if (taken) throw new ConflictError(`team '${input.team}' already has a receiver named '${input.name}'`);
  const signingSecret =
    input.kind === "webhook" ? `whsec_${randomBytes(24).toString("base64url")}` : undefined;
  const secret = signingSecret ?? input.secret ?? null;
  const row = await inTransaction(db, async (tx) => {
    const r = await tx.receiver.create({
      data: {
        teamId: team.id,
        name: input.name,
        kind: input.kind,
        url: input.url ?? null,
        severities: [...new Set(input.severities)],
        events: [...new Set(input.events ?? [])],
        secret: secret ? deps.secrets.seal(secret) : null,
        secretHint: secret ? hintOf(secret) : null,
      },
      include: { team: { select: { slug: true } } },
    });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "create",
      entity: "receiver",
      entityId: r.id,
      teamId: team.id,
      // Never the secret.
      after: receiverResponse(r),
    });
    return r;
  });
  return { ...receiverResponse(row), ...(signingSecret ? { signingSecret } : {}) };
}

export async function listReceivers(deps: { db: Db; team?: string }): Promise<ReceiverResponse[]> {
  const rows = await deps.db.receiver.findMany({
    where: deps.team ? { team: { slug: deps.team } } : {},
    include: { team: { select: { slug: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(receiverResponse);
}

export async function getReceiver(deps: { db: Db; id: string }): Promise<ReceiverResponse> {
  const r = await deps.db.receiver.findUnique({
    where: { id: deps.id },
    include: { team: { select: { slug: true } } },
  });
  if (!r) throw new NotFoundError("receiver", deps.id);
  return receiverResponse(r);
}

/**
 * Changes a receiver's name, URL, severities, secret or enabled flag, in one transaction under a row lock (two
 * edits at once apply one after the other). The secret is write-only: the answer and the audit show its hint.
 */
export async function patchReceiver(deps: {
  db: Db;
  secrets: SecretBox;
  actor: Actor | null;
  id: string;
  input: PatchReceiverBody;
}): Promise<ReceiverResponse> {
  const { db, input } = deps;
  return inTransaction(db, async (tx) => {
    await tx.$queryRaw`SELECT id FROM receivers WHERE id = ${deps.id}::uuid FOR UPDATE`;
    const r = await tx.receiver.findUnique({
      where: { id: deps.id },
      include: { team: { select: { slug: true } } },
    });
    if (!r) throw new NotFoundError("receiver", deps.id);
    assertCanWriteTeam(deps.actor, r.teamId);
    if (input.url === null && (r.kind === "alertmanager" || r.kind === "webhook"))
      throw new ValidationError(`body field 'url': a ${r.kind} receiver needs its url`, { field: "url" });
    const webhookOnly = (input.events ?? []).filter((e) => !e.startsWith("alert."));
    if (webhookOnly.length && r.kind !== "webhook")
      throw new ValidationError(
        `body field 'events': ${webhookOnly.join(", ")} go to webhook receivers only`,
        { field: "events" },
      );
    if (input.secret !== undefined && r.kind === "webhook")
      throw new ValidationError(
        "body field 'secret': a webhook's signing secret is generated; leave it out",
        {
          field: "secret",
        },
      );
    if (input.name !== undefined && input.name !== r.name) {
      const taken = await tx.receiver.findUnique({
        where: { teamId_name: { teamId: r.teamId, name: input.name } },
      });
      if (taken)
        throw new ConflictError(`team '${r.team.slug}' already has a receiver named '${input.name}'`);
    }
    const updated = await tx.receiver.update({
      where: { id: r.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.severities ? { severities: [...new Set(input.severities)] } : {}),
        ...(input.secret !== undefined
          ? { secret: deps.secrets.seal(input.secret), secretHint: hintOf(input.secret) }
          : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.events !== undefined ? { events: [...new Set(input.events)] } : {}),
      },
      include: { team: { select: { slug: true } } },
    });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "update",
      entity: "receiver",
      entityId: r.id,
      teamId: r.teamId,
      // Never the secret: its hint shows that it changed.
      before: receiverResponse(r),
      after: receiverResponse(updated),
    });
    return receiverResponse(updated);
  });
}

export async function deleteReceiver(deps: { db: Db; actor: Actor | null; id: string }) {
  const { db } = deps;
  const r = await db.receiver.findUnique({
    where: { id: deps.id },
    include: { team: { select: { slug: true } } },
  });
  if (!r) throw new NotFoundError("receiver", deps.id);
  assertCanWriteTeam(deps.actor, r.teamId);
  const response = receiverResponse(r);
  await inTransaction(db, async (tx) => {
    await tx.receiver.delete({ where: { id: r.id } });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "delete",
      entity: "receiver",
      entityId: r.id,
      teamId: r.teamId,
      before: response,
    });
  });
  return response;
}

/** The receiver's most recent deliveries, newest first: the event, its calls and how they ended. */
export async function listReceiverDeliveries(deps: {
  db: Db;
  id: string;
  limit: number;
}): Promise<ReceiverDeliveryResponse[]> {
  const r = await deps.db.receiver.findUnique({ where: { id: deps.id }, select: { id: true } });
  if (!r) throw new NotFoundError("receiver", deps.id);
  const rows = await deps.db.receiverDelivery.findMany({
    where: { receiverId: r.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: deps.limit,
  });
  return rows.map((d) => ({
    id: d.id,
    type: d.type as ReceiverDeliveryResponse["type"],
    eventId: d.eventId,
    alertId: d.alertId,
    status: d.status as ReceiverDeliveryResponse["status"],
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    error: d.error,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: d.sentAt?.toISOString() ?? null,
  }));
}
