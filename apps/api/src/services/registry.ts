import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  parseEndpoint,
  type AuditQuery,
  type CreateTokenBody,
  type PatchRegionBody,
} from "@burnrate/contracts";
import { deleteSliStatements, type Db } from "@burnrate/db";
import type { Enqueue } from "@burnrate/jobs";
import type { z } from "zod";
import { assertAdmin, assertCanWriteTeam, isAdmin, newSecret, sha256, type Actor } from "../plugins/auth";
import { recordAudit } from "./audit";
import { syncDefaultSlos } from "./default-slos";

// ── endpoints ────────────────────────────────────────────────────────────────────────────────────────
type EndpointRow = { id: string; method: string; route: string; createdAt: Date };
const toEndpoint = (service: string, e: EndpointRow) => ({
  id: e.id,
  service,
  method: e.method,
  route: e.route,
  createdAt: e.createdAt.toISOString(),
});

async function findService(db: Db, slug: string) {
  const s = await db.service.findUnique({ where: { slug } });
  if (!s) throw new NotFoundError("service", slug);
  return s;
}

export async function listEndpoints(deps: { db: Db; service: string }) {
  const s = await findService(deps.db, deps.service);
  const rows = await deps.db.endpoint.findMany({
    where: { serviceId: s.id },
    orderBy: [{ route: "asc" }, { method: "asc" }],
  });
  return rows.map((e) => toEndpoint(s.slug, e));
}

export async function createEndpoint(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  service: string;
  endpoint: string;
}) {
  const { db, actor } = deps;
  const s = await findService(db, deps.service);
  assertCanWriteTeam(actor, s.teamId);
  const e = parseEndpoint(deps.endpoint);
  if (!e)
    throw new ValidationError(
      `body field 'endpoint': '${deps.endpoint}' is not 'METHOD /route' (e.g. 'GET /user/{id}')`,
      { field: "endpoint" },
    );
  const exists = await db.endpoint.findUnique({
    where: { serviceId_method_route: { serviceId: s.id, ...e } },
  });
  if (exists)
    throw new ConflictError(`endpoint '${e.method} ${e.route}' already exists on '${s.slug}'`, {
      id: exists.id,
    });
  const row = await db.endpoint.create({ data: { serviceId: s.id, ...e } });
  await recordAudit(db, {
    actor,
    action: "create",
    entity: "endpoint",
    entityId: row.id,
    teamId: s.teamId,
    after: toEndpoint(s.slug, row),
  });
  await syncDefaultSlos(deps, s.id);
  return toEndpoint(s.slug, row);
}

/** An endpoint with explicit SLOs cannot be deleted: delete the SLOs first. Its rollups go with it. */
export async function deleteEndpoint(deps: { db: Db; actor: Actor | null; enqueue: Enqueue; id: string }) {
  const { db, actor } = deps;
  const e = await db.endpoint.findUnique({ where: { id: deps.id }, include: { service: true } });
  if (!e) throw new NotFoundError("endpoint", deps.id);
  assertCanWriteTeam(actor, e.service.teamId);
  const slos = await db.slo.count({ where: { endpointId: e.id, kind: "explicit" } });
  if (slos > 0)
    throw new ConflictError(`endpoint '${e.method} ${e.route}' has ${slos} SLO(s); delete them first`, {
      slos,
    });
  const derived = await db.slo.findMany({ where: { endpointId: e.id }, select: { id: true } });
  await db.$transaction([
    ...deleteSliStatements(
      db,
      derived.map((d) => d.id),
    ),
    db.slo.deleteMany({ where: { endpointId: e.id } }),
    // By service first: the primary key (service_id, minute, endpoint_id, …) finds the rows in each partition.
    db.$executeRawUnsafe(
      `DELETE FROM request_rollups WHERE service_id = $1::uuid AND endpoint_id = $2::uuid`,
      e.serviceId,
      e.id,
    ),
    db.$executeRawUnsafe(
      `DELETE FROM request_rollups_hourly WHERE service_id = $1::uuid AND endpoint_id = $2::uuid`,
      e.serviceId,
      e.id,
    ),
    db.endpoint.delete({ where: { id: e.id } }),
  ]);
  await recordAudit(db, {
    actor,
    action: "delete",
    entity: "endpoint",
    entityId: e.id,
    teamId: e.service.teamId,
    before: toEndpoint(e.service.slug, e),
  });
}

// ── regions ─────────────────────────────────────────────────────────────────────────────────────────
const toRegion = (r: { slug: string; name: string; production: boolean }) => ({
  slug: r.slug,
  name: r.name,
  production: r.production,
});

export async function listRegions(deps: { db: Db }) {
  return (await deps.db.region.findMany({ orderBy: { slug: "asc" } })).map(toRegion);
}

export async function patchRegion(deps: {
  db: Db;
  actor: Actor | null;
  slug: string;
  input: z.infer<typeof PatchRegionBody>;
}) {
  const { db, actor, input } = deps;
  assertAdmin(actor, "change regions");
  const r = await db.region.findUnique({ where: { slug: deps.slug } });
  if (!r) throw new NotFoundError("region", deps.slug);
  const u = await db.region.update({
    where: { id: r.id },
    data: {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.production !== undefined && { production: input.production }),
    },
  });
  await recordAudit(db, {
    actor,
    action: "update",
    entity: "region",
    entityId: r.id,
    before: toRegion(r),
    after: toRegion(u),
  });
  return toRegion(u);
}

/** A region that has data cannot be deleted (SLIs and graphs would lose it). */
export async function deleteRegion(deps: { db: Db; actor: Actor | null; slug: string }) {
  const { db, actor } = deps;
  assertAdmin(actor, "delete regions");
  const r = await db.region.findUnique({ where: { slug: deps.slug } });
  if (!r) throw new NotFoundError("region", deps.slug);
  const [rows] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT ((SELECT count(*) FROM (SELECT 1 FROM request_rollups WHERE region_id = $1::uuid LIMIT 1) a)
           + (SELECT count(*) FROM (SELECT 1 FROM request_rollups_hourly WHERE region_id = $1::uuid LIMIT 1) b))::int AS n`,
    r.id,
  );
  if ((rows?.n ?? 0) > 0)
    throw new ConflictError(
      `region '${r.slug}' has request data; it cannot be deleted while that data is kept`,
    );
  await db.region.delete({ where: { id: r.id } });
  await recordAudit(db, { actor, action: "delete", entity: "region", entityId: r.id, before: toRegion(r) });
}

// ── tokens ──────────────────────────────────────────────────────────────────────────────────────────
type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  team: { slug: string } | null;
};
const toToken = (t: TokenRow) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  scopes: t.scopes,
  team: t.team?.slug ?? null,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

/**
 * Creates an API token; the secret is returned once and only its SHA-256 is stored. Admin-scope and global
 * tokens need an org admin; a team editor may create tokens bound to their team without the admin scope.
 */
export async function createToken(deps: {
  db: Db;
  actor: Actor | null;
  input: z.infer<typeof CreateTokenBody>;
}) {
  const { db, actor, input } = deps;
  let teamId: string | null = null;
  if (input.team) {
    const team = await db.team.findUnique({ where: { slug: input.team } });
    if (!team)
      throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
    teamId = team.id;
  }
  if (input.scopes.includes("admin") || !teamId) assertAdmin(actor, "create admin or global tokens");
  else assertCanWriteTeam(actor, teamId);
  const secret = newSecret("brt");
  const row = await db.apiToken.create({
    data: {
      name: input.name,
      tokenHash: sha256(secret),
      prefix: secret.slice(0, 8),
      scopes: [...new Set(input.scopes)],
      teamId,
      userId: actor?.kind === "user" ? actor.id : null,
    },
    include: { team: true },
  });
  await recordAudit(db, {
    actor,
    action: "create",
    entity: "token",
    entityId: row.id,
    teamId,
    after: toToken(row),
  });
  return { ...toToken(row), token: secret };
}

export async function listTokens(deps: { db: Db; actor: Actor | null }) {
  const { db, actor } = deps;
  const all = isAdmin(actor);
  const rows = await db.apiToken.findMany({
    where: all ? {} : actor?.kind === "user" ? { userId: actor.id } : { id: actor?.id ?? "" },
    include: { team: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toToken);
}

export async function revokeToken(deps: { db: Db; actor: Actor | null; id: string }) {
  const { db, actor } = deps;
  const t = await db.apiToken.findUnique({ where: { id: deps.id }, include: { team: true } });
  if (!t) throw new NotFoundError("token", deps.id);
  const own = actor?.kind === "user" && t.userId === actor.id;
  if (!own && !isAdmin(actor))
    throw new ForbiddenError("only the token's creator or an org admin can revoke it");
  const u = await db.apiToken.update({
    where: { id: t.id },
    data: { revokedAt: t.revokedAt ?? new Date() },
    include: { team: true },
  });
  await recordAudit(db, {
    actor,
    action: "revoke",
    entity: "token",
    entityId: t.id,
    teamId: t.teamId,
    before: toToken(t),
    after: toToken(u),
  });
  return toToken(u);
}

// ── audit ───────────────────────────────────────────────────────────────────────────────────────────
export async function listAudit(deps: { db: Db; query: z.infer<typeof AuditQuery> }) {
  const { db, query } = deps;
  let teamId: string | undefined;
  if (query.team) {
    const team = await db.team.findUnique({ where: { slug: query.team } });
    if (!team) throw new NotFoundError("team", query.team);
    teamId = team.id;
  }
  const rows = await db.auditLog.findMany({
    where: {
      ...(query.entity ? { entity: query.entity } : {}),
      ...(query.entityId ? { entityId: query.entityId } : {}),
      ...(teamId ? { teamId } : {}),
      ...(query.from || query.to
        ? {
            at: {
              ...(query.from ? { gte: new Date(query.from) } : {}),
              ...(query.to ? { lte: new Date(query.to) } : {}),
            },
          }
        : {}),
    },
    orderBy: { at: "desc" },
    take: query.limit,
    skip: query.offset,
  });
  const teams = new Map(
    (await db.team.findMany({ select: { id: true, slug: true } })).map((t) => [t.id, t.slug]),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    team: r.teamId ? (teams.get(r.teamId) ?? null) : null,
    before: r.before,
    after: r.after,
  }));
}
