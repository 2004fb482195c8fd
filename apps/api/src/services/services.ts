import {
  ConflictError,
  DEFAULT_FAILURE_STATUSES,
  NotFoundError,
  ValidationError,
  compressStatuses,
  expandStatuses,
  type CreateServiceBody,
  type ServiceResponse,
} from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import { assertCanWriteTeam, type Actor } from "../plugins/auth";
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

export async function listServices(deps: { db: Db; team?: string }): Promise<ServiceResponse[]> {
  const rows = await deps.db.service.findMany({
    where: deps.team ? { team: { slug: deps.team } } : {},
    include,
    orderBy: { slug: "asc" },
  });
  return rows.map(toServiceResponse);
}
