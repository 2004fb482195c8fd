import {
  ConflictError,
  DEFAULT_FAILURE_STATUSES,
  NotFoundError,
  ValidationError,
  compressStatuses,
  expandStatuses,
  type CreateServiceBody,
  type PatchServiceBody,
  type ServiceResponse,
} from "@burnrate/contracts";
import type { z } from "zod";
import { Prisma, type Db } from "@burnrate/db";
import type { Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { recordAudit } from "./audit";

const include = {
  team: true,
  endpoints: { orderBy: [{ route: "asc" as const }, { method: "asc" as const }] },
};
type ServiceRow = Prisma.ServiceGetPayload<{ include: typeof include }>;

export function toServiceResponse(s: ServiceRow): ServiceResponse {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    team: s.team.slug,
    description: s.description,
    runbookUrl: s.runbookUrl,
    tier: s.tier,
    failureStatuses: compressStatuses(s.failureStatuses),
    endpoints: s.endpoints.map((e) => ({ id: e.id, method: e.method, route: e.route })),
    lastSeenAt: s.lastSeenAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
  };
}

export async function createService(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateServiceBody;
}): Promise<ServiceResponse> {
  const { db, actor, input } = deps;
  const team = await db.team.findUnique({ where: { slug: input.team } });
  if (!team)
    throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
  assertCanWriteTeam(actor, team.id);
  try {
    const s = await db.service.create({
      data: {
        slug: input.slug,
        name: input.name,
        teamId: team.id,
        description: input.description ?? null,
        runbookUrl: input.runbookUrl ?? null,
        tier: input.tier ?? null,
        failureStatuses: expandStatuses(input.failureStatuses ?? [DEFAULT_FAILURE_STATUSES]),
      },
      include,
    });
    const out = toServiceResponse(s);
    await recordAudit(db, {
      actor,
      action: "create",
      entity: "service",
      entityId: s.id,
      teamId: team.id,
      after: out,
    });
    return out;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new ConflictError(`service '${input.slug}' already exists`, { field: "slug" });
    throw e;
  }
}

export async function getService(deps: { db: Db; slug: string }): Promise<ServiceResponse> {
  const s = await deps.db.service.findUnique({ where: { slug: deps.slug }, include });
  if (!s) throw new NotFoundError("service", deps.slug);
  return toServiceResponse(s);
}

export async function listServices(deps: {
  db: Db;
  team?: string;
  limit?: number;
  offset?: number;
}): Promise<ServiceResponse[]> {
  const rows = await deps.db.service.findMany({
    where: deps.team ? { team: { slug: deps.team } } : {},
    include,
    orderBy: { slug: "asc" },
    take: deps.limit ?? 100,
    skip: deps.offset ?? 0,
  });
  return rows.map(toServiceResponse);
}

async function findService(db: Db, slug: string) {
  const s = await db.service.findUnique({ where: { slug }, include });
  if (!s) throw new NotFoundError("service", slug);
  return s;
}

export async function patchService(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PatchServiceBody>;
}): Promise<ServiceResponse> {
  const { db, actor, input } = deps;
  const current = await findService(db, deps.slug);
  assertCanWriteTeam(actor, current.teamId);
  let teamId = current.teamId;
  if (input.team !== undefined && input.team !== current.team.slug) {
    const team = await db.team.findUnique({ where: { slug: input.team } });
    if (!team)
      throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
    assertCanWriteTeam(actor, team.id); // moving a service needs write access to both teams
    teamId = team.id;
  }
  const updated = await db.service.update({
    where: { id: current.id },
    data: {
      teamId,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.runbookUrl !== undefined && { runbookUrl: input.runbookUrl }),
      ...(input.tier !== undefined && { tier: input.tier }),
      ...(input.failureStatuses !== undefined && { failureStatuses: expandStatuses(input.failureStatuses) }),
    },
    include,
  });
  const before = toServiceResponse(current);
  const after = toServiceResponse(updated);
  await recordAudit(db, {
    actor,
    action: "update",
    entity: "service",
    entityId: current.id,
    teamId,
    before,
    after,
  });
  return after;
}

/** A service with SLOs cannot be deleted (their history would be orphaned): delete the SLOs first. */
export async function deleteService(deps: { db: Db; actor: Actor | null; slug: string }): Promise<void> {
  const { db, actor } = deps;
  const s = await findService(db, deps.slug);
  assertCanWriteTeam(actor, s.teamId);
  const slos = await db.slo.count({ where: { serviceId: s.id, kind: "explicit" } });
  if (slos > 0)
    throw new ConflictError(`service '${s.slug}' still has ${slos} SLO(s); delete them first`, { slos });
  await db.$transaction([
    db.slo.deleteMany({ where: { serviceId: s.id } }), // derived default SLOs go with the service
    db.$executeRawUnsafe(`DELETE FROM request_rollups WHERE service_id = $1::uuid`, s.id),
    db.$executeRawUnsafe(`DELETE FROM request_rollups_hourly WHERE service_id = $1::uuid`, s.id),
    db.service.delete({ where: { id: s.id } }),
  ]);
  await recordAudit(db, {
    actor,
    action: "delete",
    entity: "service",
    entityId: s.id,
    teamId: s.teamId,
    before: toServiceResponse(s),
  });
}
