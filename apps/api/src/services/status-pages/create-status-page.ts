import {
  ConflictError,
  ValidationError,
  type CreateStatusPageBody,
  type StatusPageResponse,
} from "@burnrate/contracts";
import { isUniqueViolation, type Db, type Prisma } from "@burnrate/db";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";

const include = { components: { include: { service: true }, orderBy: { position: "asc" } } } as const;
type PageRow = Prisma.StatusPageGetPayload<{ include: typeof include }>;

function toResponse(p: PageRow, publicUrl: string): StatusPageResponse {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    url: `${publicUrl.replace(/\/$/, "")}/status/${p.slug}`,
    components: p.components.map((c) => ({ name: c.name, service: c.service.slug, region: c.regionKey })),
    createdAt: p.createdAt.toISOString(),
  };
}

/**
 * A public status page. Publishing a service's state is its team's decision: the caller needs write access
 * to the team of every component's service.
 */
export async function createStatusPage(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateStatusPageBody;
  publicUrl: string;
}): Promise<StatusPageResponse> {
  const { db, input } = deps;
  const components: Prisma.StatusPageComponentCreateWithoutStatusPageInput[] = [];
  const teamIds = new Set<string>();
  for (const [i, c] of input.components.entries()) {
    const service = await db.service.findUnique({ where: { slug: c.service } });
    if (!service)
      throw new ValidationError(
        `body field 'components[${i}].service': service '${c.service}' does not exist`,
        {
          field: `components.${i}.service`,
        },
      );
    if (c.region && !(await db.region.findUnique({ where: { slug: c.region } })))
      throw new ValidationError(`body field 'components[${i}].region': region '${c.region}' does not exist`, {
        field: `components.${i}.region`,
      });
    teamIds.add(service.teamId);
    components.push({
      position: i,
      name: c.name,
      service: { connect: { id: service.id } },
      regionKey: c.region ?? null,
    });
  }
  for (const t of teamIds) assertCanWriteTeam(deps.actor, t);
  try {
    const page = await db.statusPage.create({
      data: {
        slug: input.slug,
        name: input.name,
        createdBy: actorLabel(deps.actor),
        components: { create: components },
      },
      include,
    });
    const out = toResponse(page, deps.publicUrl);
    await recordAudit(db, {
      actor: deps.actor,
      action: "create",
      entity: "status_page",
      entityId: page.id,
      teamId: [...teamIds][0] ?? null,
      after: out,
    });
    return out;
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(`body field 'slug': a status page '${input.slug}' already exists`, {
        field: "slug",
      });
    throw err;
  }
}

export async function listStatusPages(deps: { db: Db; publicUrl: string }): Promise<StatusPageResponse[]> {
  const pages = await deps.db.statusPage.findMany({ include, orderBy: { slug: "asc" } });
  return pages.map((p) => toResponse(p, deps.publicUrl));
}
