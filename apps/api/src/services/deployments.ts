import { NotFoundError, ValidationError, type DeploymentResponse } from "@burnrate/contracts";
import { loadServiceSlos, recomputeSli, type Db } from "@burnrate/db";
import { MINUTE_MS, minuteEnd } from "@burnrate/slo-core";
import type { z } from "zod";
import type { CreateDeploymentBody } from "@burnrate/contracts";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { recordAudit } from "./audit";
import { consumeOverride } from "./release-gate";

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
  const endsAt = input.endsAt === undefined ? null : new Date(input.endsAt);
  if (input.kind === "maintenance") {
    if (!endsAt)
      throw new ValidationError("body field 'endsAt': a maintenance window needs an end", {
        field: "endsAt",
      });
    if (endsAt.getTime() <= at.getTime())
      throw new ValidationError("body field 'endsAt': must be after 'at' (the window's start)", {
        field: "endsAt",
      });
  } else if (endsAt || input.excludeFromBudget !== undefined) {
    throw new ValidationError(
      `body field '${endsAt ? "endsAt" : "excludeFromBudget"}': only a maintenance window (kind "maintenance") has an end or a budget exclusion`,
      { field: endsAt ? "endsAt" : "excludeFromBudget" },
    );
  }
  const excludeFromBudget = input.kind === "maintenance" && input.excludeFromBudget === true;
  const d = await db.deployment.create({
    data: {
      serviceId: service.id,
      regionId,
      version: input.version,
      kind: input.kind,
      note: input.note ?? null,
      at,
      endsAt,
      excludeFromBudget,
      author: actorLabel(deps.actor),
    },
  });
  if (excludeFromBudget) await recomputeExcludedWindow(db, service, regionId, at, endsAt!, deps.nowMs);
  if (input.kind === "deployment") await consumeOverride(db, service.id, input.region ?? null, at.getTime());
  const out = toDeploymentResponse(d, service.slug, input.region ?? null);
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
  return rows.map((d) =>
    toDeploymentResponse(d, service.slug, d.regionId ? (regions.get(d.regionId) ?? null) : null),
  );
}

function toDeploymentResponse(
  d: {
    id: string;
    version: string;
    kind: string;
    note: string | null;
    at: Date;
    endsAt: Date | null;
    excludeFromBudget: boolean;
    author: string | null;
  },
  service: string,
  region: string | null,
): DeploymentResponse {
  return {
    id: d.id,
    service,
    region,
    version: d.version,
    kind: d.kind,
    note: d.note,
    at: d.at.toISOString(),
    endsAt: d.endsAt?.toISOString() ?? null,
    excludeFromBudget: d.excludeFromBudget,
    author: d.author,
  };
}

/**
 * A maintenance window that leaves the budget recomputes the service's SLIs over its past part at once (the
 * worker's cycle only recomputes recent minutes); the future part is excluded as the data arrives.
 */
async function recomputeExcludedWindow(
  db: Db,
  service: { id: string },
  regionId: string | null,
  at: Date,
  endsAt: Date,
  nowMs: number,
): Promise<void> {
  void regionId; // the recompute covers every region; the exclusion itself matches the window's region
  const fromMs = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
  const toMs = Math.min(Math.ceil(endsAt.getTime() / MINUTE_MS) * MINUTE_MS, minuteEnd(nowMs));
  if (toMs <= fromMs) return;
  const slos = await loadServiceSlos(db, service.id);
  await recomputeSli(
    db,
    slos.map((slo) => ({ target: slo.target, fromMs })),
    toMs,
  );
}
