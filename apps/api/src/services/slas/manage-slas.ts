import type { CreateSlaBody, PatchSlaBody, SlaResponse } from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import {
  SLA_INCLUDE,
  assertCanWriteAnyTeam,
  loadSlaRow,
  owningTeams,
  resolveChildren,
  resolveNotifyGroups,
  resolveServices,
  toSlaResponse,
} from "./sla-model";

const thresholdsOf = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

export async function createSla(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateSlaBody;
}): Promise<SlaResponse> {
  const { db, input } = deps;
  const services = await resolveServices(db, input.services);
  assertCanWriteAnyTeam(deps.actor, [...new Set(services.map((s) => s.teamId))]);
  const children = await resolveChildren(db, services, input.children);
  const notifyGroupIds = await resolveNotifyGroups(db, input.notify?.stakeholderGroups ?? []);
  const id = await inTransaction(db, async (tx) => {
    const sla = await tx.sla.create({
      data: {
        name: input.name,
        description: input.description ?? null,
        sli: input.sli,
        objectivePercent: input.objectivePercent,
        window: input.window,
        tiers: input.tiers,
        credits: input.credits ?? null,
        customers: input.customers ?? null,
        thresholds: thresholdsOf(input.thresholds),
        notifyGroupIds,
        services: { create: services.map((s) => ({ serviceId: s.id })) },
        children: {
          create: children.map((c, ord) => ({
            ord,
            serviceId: c.serviceId,
            endpointId: c.endpointId,
            name: c.child.name ?? null,
            objectivePercent: c.child.objectivePercent,
            sli: c.child.sli ?? input.sli,
          })),
        },
      },
    });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "create",
      entity: "sla",
      entityId: sla.id,
      teamId: services[0]!.teamId,
      after: input,
    });
    return sla.id;
  });
  return toSlaResponse(await loadSlaRow(db, id));
}

export async function listSlas(deps: { db: Db; service?: string; team?: string }): Promise<SlaResponse[]> {
  const rows = await deps.db.sla.findMany({
    where: {
      AND: [
        ...(deps.service ? [{ services: { some: { service: { slug: deps.service } } } }] : []),
        ...(deps.team ? [{ services: { some: { service: { team: { slug: deps.team } } } } }] : []),
      ],
    },
    include: SLA_INCLUDE,
    orderBy: { name: "asc" },
  });
  return rows.map(toSlaResponse);
}

export async function getSla(deps: { db: Db; id: string }): Promise<SlaResponse> {
  return toSlaResponse(await loadSlaRow(deps.db, deps.id));
}

export async function patchSla(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: PatchSlaBody;
}): Promise<SlaResponse> {
  const { db, input } = deps;
  const before = await loadSlaRow(db, deps.id);
  assertCanWriteAnyTeam(
    deps.actor,
    owningTeams(before).map((t) => t.id),
  );
  const services = input.services
    ? await resolveServices(db, input.services)
    : before.services.map((s) => s.service);
  if (input.services) assertCanWriteAnyTeam(deps.actor, [...new Set(services.map((s) => s.teamId))]);
  const sli = input.sli ?? (before.sli as CreateSlaBody["sli"]);
  const children = input.children
    ? await resolveChildren(db, services, input.children)
    : input.services
      ? await resolveChildren(
          db,
          services,
          before.children.map((c) => ({
            service: c.service.slug,
            endpoint: `${c.endpoint.method} ${c.endpoint.route}`,
            objectivePercent: c.objectivePercent,
            ...(c.name ? { name: c.name } : {}),
            sli: c.sli as CreateSlaBody["sli"],
          })),
        )
      : null;
  const notifyGroupIds = input.notify ? await resolveNotifyGroups(db, input.notify.stakeholderGroups) : null;
  await inTransaction(db, async (tx) => {
    await tx.sla.update({
      where: { id: before.id },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.sli !== undefined ? { sli: input.sli } : {}),
        ...(input.objectivePercent !== undefined ? { objectivePercent: input.objectivePercent } : {}),
        ...(input.window !== undefined ? { window: input.window } : {}),
        ...(input.tiers !== undefined ? { tiers: input.tiers } : {}),
        ...(input.credits !== undefined ? { credits: input.credits } : {}),
        ...(input.customers !== undefined ? { customers: input.customers } : {}),
        ...(input.thresholds !== undefined ? { thresholds: thresholdsOf(input.thresholds) } : {}),
        ...(notifyGroupIds !== null ? { notifyGroupIds } : {}),
      },
    });
    if (input.services) {
      await tx.slaService.deleteMany({ where: { slaId: before.id } });
      await tx.slaService.createMany({ data: services.map((s) => ({ slaId: before.id, serviceId: s.id })) });
    }
    if (children) {
      await tx.slaChild.deleteMany({ where: { slaId: before.id } });
      await tx.slaChild.createMany({
        data: children.map((c, ord) => ({
          slaId: before.id,
          ord,
          serviceId: c.serviceId,
          endpointId: c.endpointId,
          name: c.child.name ?? null,
          objectivePercent: c.child.objectivePercent,
          sli: c.child.sli ?? sli,
        })),
      });
    }
    await recordAudit(tx, {
      actor: deps.actor,
      action: "update",
      entity: "sla",
      entityId: before.id,
      teamId: owningTeams(before)[0]?.id ?? null,
      after: input,
    });
  });
  return toSlaResponse(await loadSlaRow(db, before.id));
}

export async function deleteSla(deps: { db: Db; actor: Actor | null; id: string }): Promise<SlaResponse> {
  const { db } = deps;
  const row = await loadSlaRow(db, deps.id);
  assertCanWriteAnyTeam(
    deps.actor,
    owningTeams(row).map((t) => t.id),
  );
  const response = toSlaResponse(row);
  await inTransaction(db, async (tx) => {
    await tx.sla.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actor: deps.actor,
      action: "delete",
      entity: "sla",
      entityId: row.id,
      teamId: owningTeams(row)[0]?.id ?? null,
      before: response,
    });
  });
  return response;
}
