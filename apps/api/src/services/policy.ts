import {
  ConflictError,
  NotFoundError,
  POLICY_ROLES,
  PolicyConditionSpec,
  Signature,
  ValidationError,
  type EnactmentResponse,
  type PolicyResponse,
  type PutPolicyBody,
} from "@burnrate/contracts";
import { inTransaction, recordEnactmentEvent, type Db } from "@burnrate/db";
import { enqueueWebhookEvents, type Enqueue } from "@burnrate/jobs";
import { z } from "zod";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { findTeam } from "./teams/find-team";
import { recordAudit } from "./audit";

type PolicyRow = {
  version: number;
  scope: string;
  purpose: string;
  conditions: unknown;
  escalation: string;
  agreedBy: unknown;
  nextReviewAt: Date | null;
  silverBulletsPerYear: number;
  updatedAt: Date;
};

/** A policy is in force only when a developer, operations and the product owner have signed it (book ch.10). */
export function missingSignatures(agreedBy: z.infer<typeof Signature>[]): (typeof POLICY_ROLES)[number][] {
  return POLICY_ROLES.filter((r) => !agreedBy.some((s) => s.role === r));
}

export function toPolicyResponse(team: string, p: PolicyRow): PolicyResponse {
  const agreedBy = z.array(Signature).parse(p.agreedBy);
  const missing = missingSignatures(agreedBy);
  return {
    team,
    version: p.version,
    scope: p.scope,
    purpose: p.purpose,
    conditions: z.array(PolicyConditionSpec).parse(p.conditions),
    escalation: p.escalation,
    agreedBy,
    nextReviewAt: p.nextReviewAt?.toISOString().slice(0, 10) ?? null,
    silverBulletsPerYear: p.silverBulletsPerYear,
    inForce: missing.length === 0,
    missingSignatures: missing,
    updatedAt: p.updatedAt.toISOString(),
  };
}

export async function getPolicy(deps: { db: Db; team: string }): Promise<PolicyResponse> {
  const team = await findTeam(deps.db, deps.team);
  const p = await deps.db.errorBudgetPolicy.findUnique({ where: { teamId: team.id } });
  if (!p) throw new NotFoundError("error budget policy of team", team.slug);
  return toPolicyResponse(team.slug, p);
}

/** Hands policy.enacted events to the worker; the receiver sweep delivers them if this is lost. */
/** Creates or replaces the team's policy; every change is a version with its reason. */
export async function putPolicy(deps: {
  db: Db;
  actor: Actor | null;
  team: string;
  input: PutPolicyBody;
  enqueue?: Enqueue;
}): Promise<PolicyResponse> {
  const { db, actor, input } = deps;
  const team = await findTeam(db, deps.team);
  assertCanWriteTeam(actor, team.id);
  const { reason, ...fields } = input;
  const data = {
    scope: fields.scope,
    purpose: fields.purpose,
    conditions: fields.conditions as object[],
    escalation: fields.escalation,
    agreedBy: fields.agreedBy as object[],
    nextReviewAt: fields.nextReviewAt ? new Date(`${fields.nextReviewAt}T00:00:00Z`) : null,
    silverBulletsPerYear: fields.silverBulletsPerYear,
  };
  const before = await db.errorBudgetPolicy.findUnique({ where: { teamId: team.id } });
  const saved = await inTransaction(db, async (tx) => {
    const p = before
      ? await tx.errorBudgetPolicy.update({
          where: { id: before.id },
          data: { ...data, version: { increment: 1 } },
        })
      : await tx.errorBudgetPolicy.create({ data: { ...data, teamId: team.id } });
    const out = toPolicyResponse(team.slug, p);
    await tx.policyVersion.create({
      data: {
        policyId: p.id,
        version: p.version,
        author: actorLabel(actor),
        reason,
        snapshot: out as object,
      },
    });
    await recordAudit(tx, {
      actor,
      action: before ? "update" : "create",
      entity: "policy",
      entityId: p.id,
      teamId: team.id,
      before: before ? toPolicyResponse(team.slug, before) : undefined,
      after: { ...out, reason },
    });
    return out;
  });
  // Conditions that no longer exist cannot stay enacted.
  const ids = fields.conditions.map((c) => c.id);
  if (before) {
    const gone = await db.policyEnactment.findMany({
      where: { policyId: before.id, closedAt: null, conditionId: { notIn: ids } },
      select: { id: true },
    });
    const events: (string | null)[] = [];
    for (const g of gone)
      events.push(
        await inTransaction(db, async (tx) => {
          const e = await tx.policyEnactment.update({
            where: { id: g.id },
            data: {
              closedAt: new Date(),
              closedBy: actorLabel(actor),
              reason: "condition removed from the policy",
            },
          });
          const slo = e.sloId
            ? await tx.slo.findUnique({ where: { id: e.sloId }, include: { service: true } })
            : null;
          return recordEnactmentEvent(tx, e, "ended", {
            teamId: team.id,
            team: team.slug,
            consequences: null,
            slo: slo ? { id: slo.id, name: slo.name, service: slo.service.slug } : null,
          });
        }),
      );
    await enqueueWebhookEvents(deps.enqueue, events);
  }
  return saved;
}

export async function listPolicyVersions(deps: { db: Db; team: string }) {
  const team = await findTeam(deps.db, deps.team);
  const p = await deps.db.errorBudgetPolicy.findUnique({
    where: { teamId: team.id },
    include: { versions: { orderBy: { version: "asc" } } },
  });
  if (!p) throw new NotFoundError("error budget policy of team", team.slug);
  return p.versions.map((v) => ({
    version: v.version,
    author: v.author,
    reason: v.reason,
    createdAt: v.createdAt.toISOString(),
    // The policy as it was saved (a PolicyResponse of its day).
    snapshot: v.snapshot as Partial<PolicyResponse>,
  }));
}

export async function listEnactments(deps: { db: Db; team: string; open?: boolean; limit: number }) {
  const team = await findTeam(deps.db, deps.team);
  const rows = await deps.db.policyEnactment.findMany({
    where: {
      teamId: team.id,
      ...(deps.open === undefined ? {} : deps.open ? { closedAt: null } : { closedAt: { not: null } }),
    },
    include: { policy: true },
    orderBy: { openedAt: "desc" },
    take: deps.limit,
  });
  const sloIds = [...new Set(rows.map((r) => r.sloId).filter((x): x is string => !!x))];
  const slos = new Map(
    (await deps.db.slo.findMany({ where: { id: { in: sloIds } }, include: { service: true } })).map((s) => [
      s.id,
      { id: s.id, name: s.name, service: s.service.slug },
    ]),
  );
  return rows.map((r) => {
    const cond = z
      .array(PolicyConditionSpec)
      .parse(r.policy.conditions)
      .find((c) => c.id === r.conditionId);
    return {
      id: r.id,
      conditionId: r.conditionId,
      conditionType: cond?.type ?? "removed",
      slo: r.sloId ? (slos.get(r.sloId) ?? null) : null,
      region: r.regionKey,
      manual: r.manual,
      openedAt: r.openedAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      openedBy: r.openedBy,
      closedBy: r.closedBy,
      reason: r.reason,
      // Written by the worker (enactment-detail.ts, carry-out.ts) in these shapes.
      detail: r.detail as EnactmentResponse["detail"],
      consequences: r.consequences as EnactmentResponse["consequences"],
    };
  });
}

/** A team editor enacts a manual condition (book: "the team decides"), with a reason. */
export async function enactManually(deps: {
  db: Db;
  actor: Actor | null;
  team: string;
  conditionId: string;
  reason: string;
  nowMs: number;
  enqueue?: Enqueue;
}) {
  const { db, actor } = deps;
  const team = await findTeam(db, deps.team);
  assertCanWriteTeam(actor, team.id);
  const p = await db.errorBudgetPolicy.findUnique({ where: { teamId: team.id } });
  if (!p) throw new NotFoundError("error budget policy of team", team.slug);
  const cond = z
    .array(PolicyConditionSpec)
    .parse(p.conditions)
    .find((c) => c.id === deps.conditionId);
  if (!cond)
    throw new ValidationError(`body field 'conditionId': the policy has no condition '${deps.conditionId}'`, {
      field: "conditionId",
    });
  if (cond.type !== "manual")
    throw new ValidationError(
      `body field 'conditionId': '${cond.id}' is automatic; it is enacted by the budget itself`,
      { field: "conditionId" },
    );
  const open = await db.policyEnactment.findFirst({
    where: { policyId: p.id, conditionId: cond.id, closedAt: null },
  });
  if (open)
    throw new ConflictError(
      `condition '${cond.id}' is already enacted (since ${open.openedAt.toISOString()})`,
    );
  const { e, eventId } = await inTransaction(db, async (tx) => {
    const e = await tx.policyEnactment.create({
      data: {
        policyId: p.id,
        teamId: team.id,
        conditionId: cond.id,
        manual: true,
        openedAt: new Date(deps.nowMs),
        openedBy: actorLabel(actor),
        reason: deps.reason,
        consequences: [],
      },
    });
    await recordAudit(tx, {
      actor,
      action: "enact",
      entity: "policy",
      entityId: p.id,
      teamId: team.id,
      after: { enactment: e.id, condition: cond.id, reason: deps.reason },
    });
    const eventId = await recordEnactmentEvent(tx, e, "enacted", {
      teamId: team.id,
      team: team.slug,
      consequences: cond.consequences.map((c) => c.type),
      slo: null,
    });
    return { e, eventId };
  });
  await enqueueWebhookEvents(deps.enqueue, [eventId]);
  return (await listEnactments({ db, team: team.slug, limit: 500 })).find((x) => x.id === e.id)!;
}

export async function closeEnactment(deps: {
  db: Db;
  actor: Actor | null;
  team: string;
  id: string;
  reason: string;
  nowMs: number;
  enqueue?: Enqueue;
}) {
  const { db, actor } = deps;
  const team = await findTeam(db, deps.team);
  assertCanWriteTeam(actor, team.id);
  const e = await db.policyEnactment.findFirst({ where: { id: deps.id, teamId: team.id } });
  if (!e) throw new NotFoundError("enactment", deps.id);
  if (e.closedAt) throw new ConflictError(`enactment ${e.id} is already closed`);
  if (!e.manual)
    throw new ConflictError("automatic enactments close by themselves when their condition stops being true");
  const eventId = await inTransaction(db, async (tx) => {
    const closed = await tx.policyEnactment.update({
      where: { id: e.id },
      data: {
        closedAt: new Date(deps.nowMs),
        closedBy: actorLabel(actor),
        reason: `${e.reason ?? ""} / closed: ${deps.reason}`,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "close_enactment",
      entity: "policy",
      entityId: e.policyId,
      teamId: team.id,
      after: { enactment: e.id, reason: deps.reason },
    });
    return recordEnactmentEvent(tx, closed, "ended", {
      teamId: team.id,
      team: team.slug,
      consequences: null,
      slo: null,
    });
  });
  await enqueueWebhookEvents(deps.enqueue, [eventId]);
  return (await listEnactments({ db, team: team.slug, limit: 500 })).find((x) => x.id === e.id)!;
}
