import {
  NotFoundError,
  ValidationError,
  type CreateSilenceBody,
  type SilenceResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { DAY_MS } from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteOwner } from "../auth/permissions";
import { recordAudit } from "./audit";

type SilenceRow = {
  id: string;
  teamId: string | null;
  serviceId: string | null;
  sloId: string | null;
  regionKey: string | null;
  startsAt: Date;
  endsAt: Date;
  reason: string;
  author: string;
  createdAt: Date;
};

/** The longest a silence may last: longer ones are how pages get lost for good. */
const MAX_SILENCE_MS = 90 * DAY_MS;

async function toResponse(db: Db, s: SilenceRow, nowMs: number): Promise<SilenceResponse> {
  const [team, service] = await Promise.all([
    s.teamId ? db.team.findUnique({ where: { id: s.teamId } }) : null,
    s.serviceId ? db.service.findUnique({ where: { id: s.serviceId } }) : null,
  ]);
  return {
    id: s.id,
    team: team?.slug ?? null,
    service: service?.slug ?? null,
    sloId: s.sloId,
    region: s.regionKey,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    reason: s.reason,
    author: s.author,
    active: s.startsAt.getTime() <= nowMs && nowMs < s.endsAt.getTime(),
    createdAt: s.createdAt.toISOString(),
  };
}

/** Records a change to a silence in the audit log; returns the silence as answered. */
async function auditSilence(
  deps: { db: Db; actor: Actor | null; nowMs: number },
  action: "create" | "end",
  row: SilenceRow,
  teamId: string | null,
): Promise<SilenceResponse> {
  const out = await toResponse(deps.db, row, deps.nowMs);
  await recordAudit(deps.db, {
    actor: deps.actor,
    action,
    entity: "silence",
    entityId: row.id,
    teamId,
    after: out,
  });
  return out;
}

/** The team a silence belongs to (for permission checks): its SLO's, its service's or its own; null = org-wide. */
async function owningTeam(
  db: Db,
  s: { teamId: string | null; serviceId: string | null; sloId: string | null },
): Promise<string | null> {
  if (s.sloId) {
    const slo = await db.slo.findUnique({ where: { id: s.sloId }, include: { service: true } });
    if (slo) return slo.service.teamId;
  }
  if (s.serviceId) {
    const svc = await db.service.findUnique({ where: { id: s.serviceId } });
    if (svc) return svc.teamId;
  }
  return s.teamId;
}

export async function createSilence(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateSilenceBody;
  nowMs: number;
}): Promise<SilenceResponse> {
  const { db, input } = deps;
  const team = input.team ? await db.team.findUnique({ where: { slug: input.team } }) : null;
  if (input.team && !team)
    throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
  const service = input.service ? await db.service.findUnique({ where: { slug: input.service } }) : null;
  if (input.service && !service)
    throw new ValidationError(`body field 'service': service '${input.service}' does not exist`, {
      field: "service",
    });
  const slo = input.sloId
    ? await db.slo.findUnique({ where: { id: input.sloId }, include: { service: true } })
    : null;
  if (input.sloId && !slo)
    throw new ValidationError(`body field 'sloId': SLO '${input.sloId}' does not exist`, { field: "sloId" });
  if (service && team && service.teamId !== team.id)
    throw new ValidationError(`body field 'service': '${service.slug}' is not owned by team '${team.slug}'`, {
      field: "service",
    });
  if (slo && service && slo.serviceId !== service.id)
    throw new ValidationError(`body field 'sloId': the SLO is not on service '${service.slug}'`, {
      field: "sloId",
    });
  if (slo && team && slo.service.teamId !== team.id)
    throw new ValidationError(`body field 'sloId': the SLO is not owned by team '${team.slug}'`, {
      field: "sloId",
    });
  if (input.region && !(await db.region.findUnique({ where: { slug: input.region } })))
    throw new ValidationError(`body field 'region': region '${input.region}' does not exist`, {
      field: "region",
    });
  const startsAt = input.startsAt ?? new Date(deps.nowMs);
  if (input.endsAt.getTime() <= startsAt.getTime())
    throw new ValidationError("body field 'endsAt': must be after 'startsAt'", { field: "endsAt" });
  if (input.endsAt.getTime() <= deps.nowMs)
    throw new ValidationError("body field 'endsAt': must be in the future", { field: "endsAt" });
  if (input.endsAt.getTime() - startsAt.getTime() > MAX_SILENCE_MS)
    throw new ValidationError("body field 'endsAt': a silence lasts at most 90 days", { field: "endsAt" });
  const teamId = slo?.service.teamId ?? service?.teamId ?? team?.id ?? null;
  assertCanWriteOwner(deps.actor, teamId, "only admins can silence a whole region across every team");
  const row = await db.silence.create({
    data: {
      teamId: team?.id ?? null,
      serviceId: service?.id ?? null,
      sloId: slo?.id ?? null,
      regionKey: input.region ?? null,
      startsAt,
      endsAt: input.endsAt,
      reason: input.reason,
      author: actorLabel(deps.actor),
    },
  });
  return auditSilence(deps, "create", row, teamId);
}

export async function listSilences(deps: {
  db: Db;
  state: "active" | "upcoming" | "expired" | "all";
  team?: string;
  service?: string;
  limit: number;
  nowMs: number;
}): Promise<SilenceResponse[]> {
  const now = new Date(deps.nowMs);
  const team = deps.team ? await deps.db.team.findUnique({ where: { slug: deps.team } }) : null;
  if (deps.team && !team) throw new NotFoundError("team", deps.team);
  const service = deps.service ? await deps.db.service.findUnique({ where: { slug: deps.service } }) : null;
  if (deps.service && !service) throw new NotFoundError("service", deps.service);
  const rows = await deps.db.silence.findMany({
    where: {
      ...(deps.state === "active" ? { startsAt: { lte: now }, endsAt: { gt: now } } : {}),
      ...(deps.state === "upcoming" ? { startsAt: { gt: now } } : {}),
      ...(deps.state === "expired" ? { endsAt: { lte: now } } : {}),
      ...(team ? { teamId: team.id } : {}),
      ...(service ? { serviceId: service.id } : {}),
    },
    orderBy: [{ endsAt: "desc" }],
    take: deps.limit,
  });
  return Promise.all(rows.map((r) => toResponse(deps.db, r, deps.nowMs)));
}

/** Ends a silence now (kept for the record: who silenced what, when and why). */
export async function endSilence(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  nowMs: number;
}): Promise<SilenceResponse> {
  const { db } = deps;
  const s = await db.silence.findUnique({ where: { id: deps.id } });
  if (!s) throw new NotFoundError("silence", deps.id);
  const teamId = await owningTeam(db, s);
  assertCanWriteOwner(deps.actor, teamId, "only admins can end an org-wide region silence");
  const now = new Date(deps.nowMs);
  const row =
    s.endsAt.getTime() > deps.nowMs
      ? await db.silence.update({
          where: { id: s.id },
          data: { endsAt: now, ...(s.startsAt.getTime() > deps.nowMs ? { startsAt: now } : {}) },
        })
      : s;
  return auditSilence(deps, "end", row, teamId);
}
