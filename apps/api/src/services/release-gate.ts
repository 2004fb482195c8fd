import { ConflictError, NotFoundError, PolicyConditionSpec, trimPercent } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { z } from "zod";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { recordAudit } from "./audit";
import { missingSignatures } from "./policy";
import { Signature } from "@burnrate/contracts";

function yearStart(nowMs: number): Date {
  return new Date(Date.UTC(new Date(nowMs).getUTCFullYear(), 0, 1));
}

async function loadContext(db: Db, serviceSlug: string, nowMs: number) {
  const service = await db.service.findUnique({ where: { slug: serviceSlug }, include: { team: true } });
  if (!service) throw new NotFoundError("service", serviceSlug);
  const policy = await db.errorBudgetPolicy.findUnique({ where: { teamId: service.teamId } });
  const used = await db.releaseOverride.count({
    where: { teamId: service.teamId, createdAt: { gte: yearStart(nowMs) } },
  });
  const perYear = policy?.silverBulletsPerYear ?? 0;
  return { service, policy, silverBulletsLeft: Math.max(0, perYear - used) };
}

/**
 * May this service be deployed to this region now? Blocked while an open enactment with a release_freeze
 * covering the region applies to the service; a silver bullet lets one deployment through.
 */
export async function releaseGate(deps: { db: Db; service: string; region: string; nowMs: number }) {
  const { db } = deps;
  const { service, policy, silverBulletsLeft } = await loadContext(db, deps.service, deps.nowMs);
  if (!policy)
    return {
      allowed: true,
      reasons: [`team '${service.team.slug}' has no error budget policy`],
      silverBulletsLeft,
    };
  const missing = missingSignatures(z.array(Signature).parse(policy.agreedBy));
  if (missing.length > 0)
    return {
      allowed: true,
      reasons: [`the error budget policy is not in force: missing signature of ${missing.join(", ")}`],
      silverBulletsLeft,
    };
  const conditions = new Map(
    z
      .array(PolicyConditionSpec)
      .parse(policy.conditions)
      .map((c) => [c.id, c]),
  );
  const open = await db.policyEnactment.findMany({
    where: { policyId: policy.id, closedAt: null },
    orderBy: { openedAt: "asc" },
  });
  const slos = new Map(
    (
      await db.slo.findMany({
        where: { id: { in: open.map((e) => e.sloId).filter((x): x is string => !!x) } },
      })
    ).map((s) => [s.id, s]),
  );
  const blocking = open.filter((e) => {
    const c = conditions.get(e.conditionId);
    const freezes = c?.consequences.filter((q) => q.type === "release_freeze") ?? [];
    const coversRegion = freezes.some(
      (q) => q.type === "release_freeze" && (q.regions.length === 0 || q.regions.includes(deps.region)),
    );
    if (!coversRegion) return false;
    if (e.manual) return true; // a manual enactment applies to the whole team
    return e.regionKey === deps.region && slos.get(e.sloId ?? "")?.serviceId === service.id;
  });
  if (blocking.length === 0) return { allowed: true, reasons: [], silverBulletsLeft };
  const reasons = blocking.map((e) => {
    const c = conditions.get(e.conditionId)!;
    const slo = e.sloId ? slos.get(e.sloId) : null;
    const d = (e.detail ?? {}) as { consumedPercent?: number; burnedPercent?: number; remaining?: number };
    const what =
      c.type === "exhausted"
        ? `error budget exhausted (${trimPercent(Math.round((d.remaining ?? 0) * 1000) / 10)}% left)`
        : c.type === "consumed"
          ? `${trimPercent(Math.round((d.consumedPercent ?? 0) * 10) / 10)}% of the period budget consumed (policy: ≥ ${c.percent}%)`
          : c.type === "burned_within"
            ? `${trimPercent(Math.round((d.burnedPercent ?? 0) * 10) / 10)}% of the budget burned within ${c.hours} h (policy: ≥ ${c.percent}%)`
            : `manual condition: ${c.text} (${e.reason ?? "no reason given"})`;
    return `${slo ? `SLO '${slo.name}' in ${e.regionKey}: ` : ""}${what}; release freeze since ${e.openedAt.toISOString()} (condition '${c.id}')`;
  });
  const since = blocking[0]!.openedAt;
  const override = await db.releaseOverride.findFirst({
    where: { serviceId: service.id, regionKey: deps.region, usedAt: null, createdAt: { gte: since } },
    orderBy: { createdAt: "asc" },
  });
  if (override)
    return {
      allowed: true,
      reasons: [
        ...reasons,
        `silver bullet by ${override.author}: ${override.reason} (allows one deployment)`,
      ],
      silverBulletsLeft,
    };
  return { allowed: false, reasons, silverBulletsLeft };
}

/** Spends a silver bullet: one deployment of the service to the region may pass the freeze. */
export async function createOverride(deps: {
  db: Db;
  actor: Actor | null;
  service: string;
  region: string;
  reason: string;
  nowMs: number;
}) {
  const { db, actor } = deps;
  const { service, policy, silverBulletsLeft } = await loadContext(db, deps.service, deps.nowMs);
  assertCanWriteTeam(actor, service.teamId);
  if (!policy)
    throw new ConflictError(`team '${service.team.slug}' has no error budget policy, so nothing to override`);
  if (silverBulletsLeft <= 0)
    throw new ConflictError(
      `team '${service.team.slug}' has used all ${policy.silverBulletsPerYear} silver bullets of this year`,
      { silverBulletsLeft: 0 },
    );
  const o = await db.releaseOverride.create({
    data: {
      teamId: service.teamId,
      serviceId: service.id,
      regionKey: deps.region,
      reason: deps.reason,
      author: actorLabel(actor),
      createdAt: new Date(deps.nowMs),
    },
  });
  await recordAudit(db, {
    actor,
    action: "silver_bullet",
    entity: "service",
    entityId: service.id,
    teamId: service.teamId,
    after: { region: deps.region, reason: deps.reason },
  });
  return {
    id: o.id,
    service: service.slug,
    region: o.regionKey,
    reason: o.reason,
    author: o.author,
    createdAt: o.createdAt.toISOString(),
    usedAt: null,
    silverBulletsLeft: silverBulletsLeft - 1,
  };
}

/** A deployment to a region uses up the oldest unused silver bullet for it. */
export async function consumeOverride(
  db: Db,
  serviceId: string,
  regionKey: string | null,
  atMs: number,
): Promise<void> {
  if (!regionKey) return;
  const o = await db.releaseOverride.findFirst({
    where: { serviceId, regionKey, usedAt: null },
    orderBy: { createdAt: "asc" },
  });
  if (o) await db.releaseOverride.update({ where: { id: o.id }, data: { usedAt: new Date(atMs) } });
}

export async function listPriorities(deps: { db: Db }) {
  return (await deps.db.incidentPriority.findMany({ orderBy: { level: "asc" } })).map((p) => ({
    level: p.level,
    criteria: p.criteria,
  }));
}

export async function putPriorities(deps: {
  db: Db;
  actor: Actor | null;
  priorities: { level: string; criteria: string }[];
}) {
  const before = await listPriorities(deps);
  for (const p of deps.priorities) {
    await deps.db.incidentPriority.upsert({
      where: { level: p.level },
      create: p,
      update: { criteria: p.criteria },
    });
  }
  const after = await listPriorities(deps);
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "priorities",
    entityId: "org",
    before,
    after,
  });
  return after;
}
