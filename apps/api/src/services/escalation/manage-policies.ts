import {
  NotFoundError,
  ValidationError,
  type CreateEscalationPolicyBody,
  type EscalationPolicyResponse,
  type PatchEscalationPolicyBody,
} from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { labelTargets, loadPolicyRow, policyInclude, policyResponse } from "./policy-model";

export async function createEscalationPolicy(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateEscalationPolicyBody;
}): Promise<EscalationPolicyResponse> {
  const { db, input } = deps;
  const team = await db.team.findUnique({ where: { slug: input.team } });
  if (!team)
    throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
  assertCanWriteTeam(deps.actor, team.id);
  await labelTargets(db, input.steps, true);
  const id = await inTransaction(db, async (tx) => {
    const p = await tx.escalationPolicy.create({
      data: {
        name: input.name,
        teamId: team.id,
        repeat: input.repeat,
        ticket: input.ticket,
        steps: {
          create: input.steps.map((s, ord) => ({
            ord,
            target: s.target,
            ackTimeoutSeconds: s.ackTimeoutSeconds,
          })),
        },
      },
    });
    if (input.teamDefault)
      await tx.team.update({ where: { id: team.id }, data: { escalationPolicyId: p.id } });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "create",
      entity: "escalation_policy",
      entityId: p.id,
      teamId: team.id,
      after: input,
    });
    return p.id;
  });
  return policyResponse(db, await loadPolicyRow(db, id));
}

export async function listEscalationPolicies(deps: { db: Db; team?: string }) {
  const rows = await deps.db.escalationPolicy.findMany({
    where: deps.team ? { team: { slug: deps.team } } : {},
    include: policyInclude,
    orderBy: { name: "asc" },
  });
  return Promise.all(rows.map((r) => policyResponse(deps.db, r)));
}

export async function getEscalationPolicy(deps: { db: Db; id: string }) {
  return policyResponse(deps.db, await loadPolicyRow(deps.db, deps.id));
}

export async function patchEscalationPolicy(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: PatchEscalationPolicyBody;
}): Promise<EscalationPolicyResponse> {
  const { db, input } = deps;
  const before = await loadPolicyRow(db, deps.id);
  assertCanWriteTeam(deps.actor, before.teamId);
  if (input.steps) await labelTargets(db, input.steps, true);
  await inTransaction(db, async (tx) => {
    await tx.escalationPolicy.update({
      where: { id: before.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.repeat !== undefined ? { repeat: input.repeat } : {}),
        ...(input.ticket !== undefined ? { ticket: input.ticket } : {}),
      },
    });
    if (input.steps) {
      await tx.escalationPolicyStep.deleteMany({ where: { policyId: before.id } });
      await tx.escalationPolicyStep.createMany({
        data: input.steps.map((s, ord) => ({
          policyId: before.id,
          ord,
          target: s.target,
          ackTimeoutSeconds: s.ackTimeoutSeconds,
        })),
      });
    }
    if (input.teamDefault === true)
      await tx.team.update({ where: { id: before.teamId }, data: { escalationPolicyId: before.id } });
    if (input.teamDefault === false)
      await tx.team.updateMany({
        where: { id: before.teamId, escalationPolicyId: before.id },
        data: { escalationPolicyId: null },
      });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "update",
      entity: "escalation_policy",
      entityId: before.id,
      teamId: before.teamId,
      after: input,
    });
  });
  return policyResponse(db, await loadPolicyRow(db, before.id));
}

/** Deletes a policy; the team and SLOs that named it fall back (SLO → team → none), running escalations stop. */
export async function deleteEscalationPolicy(deps: { db: Db; actor: Actor | null; id: string }) {
  const { db } = deps;
  const row = await loadPolicyRow(db, deps.id);
  assertCanWriteTeam(deps.actor, row.teamId);
  const response = await policyResponse(db, row);
  await inTransaction(db, async (tx) => {
    await tx.escalationPolicy.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "delete",
      entity: "escalation_policy",
      entityId: row.id,
      teamId: row.teamId,
      before: response,
    });
  });
  return response;
}

/** An SLO's own policy (one of its team's), or null to use the team's. */
export async function setSloEscalationPolicy(deps: {
  db: Db;
  actor: Actor | null;
  sloId: string;
  policyId: string | null;
}): Promise<{ sloId: string; policyId: string | null }> {
  const { db } = deps;
  const slo = await db.slo.findUnique({ where: { id: deps.sloId }, include: { service: true } });
  if (!slo) throw new NotFoundError("slo", deps.sloId);
  assertCanWriteTeam(deps.actor, slo.service.teamId);
  if (deps.policyId) {
    const p = await db.escalationPolicy.findUnique({ where: { id: deps.policyId } });
    if (!p || p.teamId !== slo.service.teamId)
      throw new ValidationError(
        `body field 'policyId': no escalation policy '${deps.policyId}' of the SLO's team`,
        { field: "policyId" },
      );
  }
  await db.slo.update({ where: { id: slo.id }, data: { escalationPolicyId: deps.policyId } });
  return { sloId: slo.id, policyId: deps.policyId };
}
