import { NotFoundError, ValidationError, type DeploymentResponse } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { z } from "zod";
import type { CreateDeploymentBody } from "@burnrate/contracts";
import { assertCanWriteTeam, type Actor } from "../plugins/auth";
import { recordAudit } from "./audit";

export async function createDeployment(deps: {
  db: Db;
  actor: Actor | null;
  input: z.infer<typeof CreateDeploymentBody>;
  nowMs: number;
}): Promise<DeploymentResponse> {
  const { db, input } = deps;
  const service = await db.service.findUnique({ where: { slug: input.service } });
  if (!service)
    throw new ValidationError(`body field 'service': service '${input.service}' does not exist`, {
      field: "service",
    });
  assertCanWriteTeam(deps.actor, service.teamId);
  let regionId: string | null = null;
  if (input.region) {
    const region = await db.region.upsert({
      where: { slug: input.region },
      create: { slug: input.region, name: input.region, production: /^prod/.test(input.region) },
      update: {},
    });
    regionId = region.id;
  }
  const at = input.at === undefined ? new Date(deps.nowMs) : new Date(input.at);
  const d = await db.deployment.create({
    data: {
      serviceId: service.id,
      regionId,
      version: input.version,
      kind: input.kind,
      note: input.note ?? null,
      at,
    },
  });
  const out = {
    id: d.id,
    service: service.slug,
    region: input.region ?? null,
    version: d.version,
    kind: d.kind,
    note: d.note,
    at: d.at.toISOString(),
  };
  await recordAudit(db, {
    actor: deps.actor,
    action: "create",
    entity: "deployment",
    entityId: d.id,
    teamId: service.teamId,
    after: out,
  });
  return out;
}

export async function listDeployments(deps: {
  db: Db;
  service: string;
  limit: number;
}): Promise<DeploymentResponse[]> {
  const service = await deps.db.service.findUnique({ where: { slug: deps.service } });
  if (!service) throw new NotFoundError("service", deps.service);
  const regions = new Map((await deps.db.region.findMany()).map((r) => [r.id, r.slug]));
  const rows = await deps.db.deployment.findMany({
    where: { serviceId: service.id },
    orderBy: { at: "desc" },
    take: deps.limit,
  });
  return rows.map((d) => ({
    id: d.id,
    service: service.slug,
    region: d.regionId ? (regions.get(d.regionId) ?? null) : null,
    version: d.version,
    kind: d.kind,
    note: d.note,
    at: d.at.toISOString(),
  }));
}
