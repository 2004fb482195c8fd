import {
  ConflictError,
  DEFAULT_FAILURE_STATUSES,
  ValidationError,
  expandStatuses,
  type CreateServiceBody,
  type ServiceResponse,
} from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { SERVICE_INCLUDE, auditService } from "./service-response";

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
      include: SERVICE_INCLUDE,
    });
    return await auditService(db, actor, "create", { after: s });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw new ConflictError(`service '${input.slug}' already exists`, { field: "slug" });
    throw e;
  }
}
