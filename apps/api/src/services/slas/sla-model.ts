import {
  ForbiddenError,
  NotFoundError,
  SlaSli,
  SlaWindow,
  ValidationError,
  parseEndpoint,
  type SlaChildBody,
  type SlaResponse,
} from "@burnrate/contracts";
import { Prisma, type Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";

export const SLA_INCLUDE = {
  services: { include: { service: { include: { team: true } } } },
  children: {
    include: { service: { include: { team: true } }, endpoint: true },
    orderBy: { ord: "asc" as const },
  },
} satisfies Prisma.SlaInclude;

export type SlaRow = Prisma.SlaGetPayload<{ include: typeof SLA_INCLUDE }>;

export async function loadSlaRow(db: Db, id: string): Promise<SlaRow> {
  const row = await db.sla.findUnique({ where: { id }, include: SLA_INCLUDE });
  if (!row) throw new NotFoundError("sla", id);
  return row;
}

/** The teams owning an SLA: those of its services, sorted by slug. */
export function owningTeams(row: SlaRow): { id: string; slug: string; slackChannel: string | null }[] {
  const byId = new Map(row.services.map((s) => [s.service.team.id, s.service.team]));
  return [...byId.values()].sort((a, b) => a.slug.localeCompare(b.slug));
}

/** Editors of any owning team (and org admins, admin or global-write tokens) change an SLA. */
export function assertCanWriteAnyTeam(actor: Actor | null, teamIds: string[]): void {
  let refusal: unknown = new ForbiddenError("only editors of an owning team or org admins can change this");
  for (const id of teamIds) {
    try {
      assertCanWriteTeam(actor, id);
      return;
    } catch (e) {
      refusal = e;
    }
  }
  throw refusal;
}

export const endpointLabel = (e: { method: string; route: string }) => `${e.method} ${e.route}`;

export function toSlaResponse(row: SlaRow): SlaResponse {
  const sli = SlaSli.parse(row.sli);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    services: row.services
      .map((s) => ({ slug: s.service.slug, name: s.service.name, team: s.service.team.slug }))
      .sort((a, b) => a.slug.localeCompare(b.slug)),
    teams: owningTeams(row).map((t) => t.slug),
    sli,
    objectivePercent: row.objectivePercent,
    window: SlaWindow.parse(row.window),
    tiers: (row.tiers as { name: string; objectivePercent: number }[]) ?? [],
    credits: row.credits,
    customers: row.customers,
    children: row.children.map((c) => ({
      id: c.id,
      service: c.service.slug,
      team: c.service.team.slug,
      endpoint: endpointLabel(c.endpoint),
      name: c.name,
      objectivePercent: c.objectivePercent,
      sli: SlaSli.parse(c.sli),
    })),
    thresholds: row.thresholds,
    notify: { stakeholderGroups: row.notifyGroupIds },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The services named by slug, each existing (a 400 naming the field otherwise). */
export async function resolveServices(db: Db, slugs: string[]) {
  const unique = [...new Set(slugs)];
  const rows = await db.service.findMany({ where: { slug: { in: unique } } });
  for (const [i, slug] of unique.entries())
    if (!rows.some((r) => r.slug === slug))
      throw new ValidationError(`body field 'services[${i}]': service '${slug}' does not exist`, {
        field: `services[${i}]`,
      });
  return rows;
}

/** The stakeholder groups named for the notices, each existing (a 400 naming the field otherwise). */
export async function resolveNotifyGroups(db: Db, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  const rows = await db.stakeholderGroup.findMany({ where: { id: { in: unique } }, select: { id: true } });
  for (const [i, id] of unique.entries())
    if (!rows.some((r) => r.id === id))
      throw new ValidationError(
        `body field 'notify.stakeholderGroups[${i}]': stakeholder group '${id}' does not exist`,
        { field: `notify.stakeholderGroups[${i}]` },
      );
  return unique;
}

/** Endpoint-level SLAs: each on an endpoint of one of the SLA's services (the endpoint is registered if new). */
export async function resolveChildren(
  db: Db,
  services: { id: string; slug: string }[],
  children: SlaChildBody[],
) {
  const out: { serviceId: string; endpointId: string; child: SlaChildBody }[] = [];
  for (const [i, c] of children.entries()) {
    const service = services.find((s) => s.slug === c.service);
    if (!service)
      throw new ValidationError(
        `body field 'children[${i}].service': '${c.service}' is not one of the SLA's services`,
        { field: `children[${i}].service` },
      );
    const e = parseEndpoint(c.endpoint);
    if (!e)
      throw new ValidationError(
        `body field 'children[${i}].endpoint': '${c.endpoint}' is not 'METHOD /route' (e.g. 'GET /cart')`,
        { field: `children[${i}].endpoint` },
      );
    const row = await db.endpoint.upsert({
      where: { serviceId_method_route: { serviceId: service.id, method: e.method, route: e.route } },
      create: { serviceId: service.id, method: e.method, route: e.route },
      update: {},
    });
    out.push({ serviceId: service.id, endpointId: row.id, child: c });
  }
  return out;
}
