import {
  ConflictError,
  NotFoundError,
  ValidationError,
  parseEndpoint,
  type CreateSloBody,
  type PatchSloBody,
  type PrometheusAuth,
  type SloResponse,
  type SourceAuthResponse,
} from "@burnrate/contracts";
import { promQueryProblem } from "@burnrate/ingest";
import { FilterError, parseFilter } from "@burnrate/ingest/filter";
import {
  SLO_INCLUDE,
  findSlos,
  inTransaction,
  loadSlo,
  recordWebhookEvent,
  sloSnapshot,
  toSloResponse,
  createSecretBox,
  type Db,
  type SecretBox,
} from "@burnrate/db";
import { Prisma } from "@burnrate/db";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import { enqueueWebhookEvents, type Enqueue } from "@burnrate/jobs";
import { recordAudit } from "./audit";
import { deleteSloData, syncDefaultSlos } from "./default-slos";

/** Without BURNRATE_SECRET_KEY, secrets are stored as given (as receivers' are), and sealed once a key is set. */
const NO_KEY = createSecretBox(null);

/**
 * The SLI as stored (without its credentials) and the credentials' columns: `undefined` when the body says
 * nothing about them (a change keeps the stored ones), null to have none.
 */
function splitSourceAuth(
  sli: CreateSloBody["sli"],
  secrets: SecretBox,
): {
  sli: CreateSloBody["sli"];
  auth: { sourceAuth: SourceAuthResponse | typeof Prisma.DbNull; sourceSecret: string | null } | undefined;
} {
  if (sli.type !== "prometheus") return { sli, auth: { sourceAuth: Prisma.DbNull, sourceSecret: null } };
  const { auth, ...rest } = sli;
  if (auth === undefined) return { sli: rest, auth: undefined };
  if (auth === null) return { sli: rest, auth: { sourceAuth: Prisma.DbNull, sourceSecret: null } };
  const secret = secretOf(auth);
  return {
    sli: rest,
    auth: {
      sourceAuth: {
        type: auth.type,
        username: auth.type === "basic" ? auth.username : null,
        secretHint: `…${secret.slice(-4)}`,
      },
      sourceSecret: secrets.seal(secret),
    },
  };
}

const secretOf = (a: PrometheusAuth) => (a.type === "bearer" ? a.token : a.password);

/** The `slo` of a slo.changed webhook event: which SLO, its version after the change, the change, who made it. */
function sloChange(
  slo: SloResponse,
  change: "created" | "updated" | "deleted",
  actor: Actor | null,
  reason: string | null,
) {
  return {
    id: slo.id,
    name: slo.name,
    service: slo.service,
    team: slo.team,
    version: slo.version,
    change,
    actor: actorLabel(actor),
    reason,
    objectivePercent: slo.objectivePercent,
  };
}

/** A transaction's client, as `inTransaction` hands it out. */
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

async function resolveEndpointId(
  db: Db,
  serviceId: string,
  endpoint: string | undefined | null,
): Promise<string | null> {
  if (!endpoint) return null;
  const e = parseEndpoint(endpoint);
  if (!e)
    throw new ValidationError(
      `body field 'endpoint': '${endpoint}' is not 'METHOD /route' (e.g. 'GET /cart')`,
      { field: "endpoint" },
    );
  const row = await db.endpoint.upsert({
    where: { serviceId_method_route: { serviceId, method: e.method, route: e.route } },
    create: { serviceId, method: e.method, route: e.route },
    update: {},
  });
  return row.id;
}

/** A ratio SLI's filters must parse (and be exact on the rollups); the error names the field and position. */
function assertEvaluable(
  sli: CreateSloBody["sli"],
  other: { budgetingMethod?: string | undefined; endpoint?: string | null | undefined } = {},
): void {
  if (sli.type === "prometheus") {
    for (const field of ["good", "bad", "total"] as const) {
      const q = sli[field];
      const problem = q === undefined ? null : promQueryProblem(q);
      if (problem)
        throw new ValidationError(`body field 'sli.${field}': ${problem}`, { field: `sli.${field}` });
    }
    if (other.budgetingMethod === "timeslices")
      throw new ValidationError(
        "body field 'budgetingMethod': a Prometheus-sourced SLO counts events (occurrences), not timeslices",
        { field: "budgetingMethod" },
      );
    if (other.endpoint)
      throw new ValidationError(
        "body field 'endpoint': a Prometheus-sourced SLO is scoped by its queries, not by an endpoint",
        { field: "endpoint" },
      );
    return;
  }
  if (sli.type !== "ratio") return;
  for (const field of ["good", "total"] as const) {
    try {
      parseFilter(sli[field]);
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
      throw new ValidationError(`body field 'sli.${field}': ${e.message}`, {
        field: `sli.${field}`,
        position: e.position,
      });
    }
  }
}

export async function createSlo(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  input: CreateSloBody;
  /** Seals a Prometheus source's credentials at rest (BURNRATE_SECRET_KEY). */
  secrets?: SecretBox;
}): Promise<SloResponse> {
  const { db, actor, input } = deps;
  const service = await db.service.findUnique({ where: { slug: input.service } });
  if (!service)
    throw new ValidationError(`body field 'service': service '${input.service}' does not exist`, {
      field: "service",
    });
  assertCanWriteTeam(actor, service.teamId);
  assertEvaluable(input.sli, input);
  const endpointId = await resolveEndpointId(db, service.id, input.endpoint);
  const source = splitSourceAuth(input.sli, deps.secrets ?? NO_KEY);
  const written = await inTransaction(db, async (tx) => {
    const row = await tx.slo.create({
      data: {
        serviceId: service.id,
        endpointId,
        name: input.name,
        description: input.description ?? null,
        sli: source.sli,
        ...source.auth,
        objectivePercent: input.objectivePercent,
        window: input.window,
        budgetingMethod: input.budgetingMethod,
        priority: input.priority ?? null,
        journeyStep: input.journeyStep ?? null,
        customerSegment: input.customerSegment ?? null,
        runbookUrl: input.runbookUrl ?? null,
        alerting: input.alerting ?? Prisma.DbNull,
        ...(input.reviewEveryDays !== undefined && { reviewEveryDays: input.reviewEveryDays }),
        backfillPercent: 0,
      },
      include: SLO_INCLUDE,
    });
    const out = toSloResponse(row);
    await tx.sloVersion.create({
      data: {
        sloId: row.id,
        version: 1,
        author: actorLabel(actor),
        reason: "created",
        snapshot: sloSnapshot(out) as object,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "create",
      entity: "slo",
      entityId: row.id,
      teamId: service.teamId,
      after: out,
    });
    const eventId = await recordWebhookEvent(tx, {
      type: "slo.changed",
      teamId: service.teamId,
      occurredAt: row.createdAt,
      payload: sloChange(out, "created", actor, null),
    });
    return { out, eventId };
  });
  await enqueueWebhookEvents(deps.enqueue, [written.eventId]);
  const created = written.out;
  await deps.enqueue("slo.backfill", { sloId: created.id, version: created.version });
  if (endpointId) await syncDefaultSlos(deps, service.id); // an explicit SLO replaces the default for its SLI
  return created;
}

export async function getSlo(deps: { db: Db; id: string }): Promise<SloResponse> {
  const slo = await loadSlo(deps.db, deps.id);
  if (!slo) throw new NotFoundError("slo", deps.id);
  return slo.response;
}

export async function listSlos(deps: {
  db: Db;
  filter: {
    service?: string;
    team?: string;
    sli?: string;
    endpoint?: string;
    includeDefaults?: boolean;
    limit: number;
    offset: number;
  };
}): Promise<SloResponse[]> {
  const { filter } = deps;
  const slos = await findSlos(deps.db, {
    where: {
      ...(filter.includeDefaults ? {} : { kind: "explicit" }),
      ...(filter.endpoint ? { endpoint: parseEndpoint(filter.endpoint) ?? { method: "", route: "" } } : {}),
      ...(filter.service ? { service: { slug: filter.service } } : {}),
      ...(filter.team ? { service: { team: { slug: filter.team } } } : {}),
      ...(filter.sli ? { sli: { path: ["type"], equals: filter.sli } } : {}),
    },
    orderBy: [{ service: { slug: "asc" } }, { name: "asc" }],
    take: filter.limit,
    skip: filter.offset,
  });
  return slos.map((s) => s.response);
}

export async function patchSlo(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  id: string;
  input: PatchSloBody;
  /** Seals a Prometheus source's credentials at rest (BURNRATE_SECRET_KEY). */
  secrets?: SecretBox;
  /** Runs in the change's transaction with the SLO before and after (a review records itself here) */
  alsoInTransaction?: (tx: Tx, before: SloResponse, after: SloResponse) => Promise<void>;
}): Promise<SloResponse> {
  const { db, actor, input } = deps;
  const current = await db.slo.findUnique({ where: { id: deps.id }, include: SLO_INCLUDE });
  if (!current) throw new NotFoundError("slo", deps.id);
  assertCanWriteTeam(actor, current.service.teamId);
  if (current.kind === "default")
    throw new ConflictError(
      `SLO ${current.id} is derived from service '${current.service.slug}''s default SLO; change the defaults (PUT /api/v1/services/${current.service.slug}/default-slos) or create an explicit SLO for this endpoint`,
    );
  if (input.sli)
    assertEvaluable(input.sli, {
      budgetingMethod: input.budgetingMethod ?? current.budgetingMethod,
      endpoint: input.endpoint !== undefined ? input.endpoint : current.endpointId,
    });
  const before = toSloResponse(current);
  const endpointId =
    input.endpoint !== undefined
      ? await resolveEndpointId(db, current.serviceId, input.endpoint)
      : current.endpointId;
  const { reason, ...changes } = input;
  const source = changes.sli !== undefined ? splitSourceAuth(changes.sli, deps.secrets ?? NO_KEY) : null;
  const written = await inTransaction(db, async (tx) => {
    const row = await tx.slo.update({
      where: { id: current.id },
      data: {
        endpointId,
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(source && { sli: source.sli, ...source.auth }),
        ...(changes.objectivePercent !== undefined && { objectivePercent: changes.objectivePercent }),
        ...(changes.window !== undefined && { window: changes.window }),
        ...(changes.budgetingMethod !== undefined && { budgetingMethod: changes.budgetingMethod }),
        ...(changes.priority !== undefined && { priority: changes.priority }),
        ...(changes.journeyStep !== undefined && { journeyStep: changes.journeyStep }),
        ...(changes.customerSegment !== undefined && { customerSegment: changes.customerSegment }),
        ...(changes.runbookUrl !== undefined && { runbookUrl: changes.runbookUrl }),
        ...(changes.alerting !== undefined && { alerting: changes.alerting }),
        ...(changes.reviewEveryDays !== undefined && { reviewEveryDays: changes.reviewEveryDays }),
        version: { increment: 1 },
      },
      include: SLO_INCLUDE,
    });
    const after = toSloResponse(row);
    await tx.sloVersion.create({
      data: {
        sloId: row.id,
        version: row.version,
        author: actorLabel(actor),
        reason,
        snapshot: sloSnapshot(after) as object,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "update",
      entity: "slo",
      entityId: row.id,
      teamId: current.service.teamId,
      before,
      after,
    });
    await deps.alsoInTransaction?.(tx, before, after);
    const eventId = await recordWebhookEvent(tx, {
      type: "slo.changed",
      teamId: current.service.teamId,
      occurredAt: row.updatedAt,
      payload: sloChange(after, "updated", actor, reason ?? null),
    });
    return { after, eventId };
  });
  await enqueueWebhookEvents(deps.enqueue, [written.eventId]);
  const updated = written.after;
  const dataChanged =
    JSON.stringify(before.sli) !== JSON.stringify(updated.sli) || before.endpoint !== updated.endpoint;
  if (dataChanged) {
    await db.slo.update({ where: { id: updated.id }, data: { backfillPercent: 0 } });
    await deps.enqueue("slo.backfill", { sloId: updated.id, version: updated.version });
    updated.backfillPercent = 0;
    await syncDefaultSlos(deps, current.serviceId);
  }
  return updated;
}

/** Deletes an SLO with its history; the reason is kept in the audit log. Default SLOs come back if they apply. */
export async function deleteSlo(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  id: string;
  reason?: string;
}): Promise<void> {
  const { db, actor } = deps;
  const current = await db.slo.findUnique({ where: { id: deps.id }, include: SLO_INCLUDE });
  if (!current) throw new NotFoundError("slo", deps.id);
  assertCanWriteTeam(actor, current.service.teamId);
  if (current.kind === "default")
    throw new ConflictError(
      `SLO ${current.id} is derived from the service's default SLO; remove the default instead`,
    );
  await deleteSloData(db, [current.id]);
  const gone = toSloResponse(current);
  const eventId = await inTransaction(db, async (tx) => {
    await recordAudit(tx, {
      actor,
      action: "delete",
      entity: "slo",
      entityId: current.id,
      teamId: current.service.teamId,
      before: { ...gone, reason: deps.reason ?? null },
    });
    return recordWebhookEvent(tx, {
      type: "slo.changed",
      teamId: current.service.teamId,
      occurredAt: new Date(),
      payload: sloChange(gone, "deleted", actor, deps.reason ?? null),
    });
  });
  await enqueueWebhookEvents(deps.enqueue, [eventId]);
  await syncDefaultSlos(deps, current.serviceId);
}

export async function listSloVersions(deps: { db: Db; id: string }) {
  const slo = await deps.db.slo.findUnique({ where: { id: deps.id }, select: { id: true } });
  if (!slo) throw new NotFoundError("slo", deps.id);
  const versions = await deps.db.sloVersion.findMany({
    where: { sloId: deps.id },
    orderBy: { version: "asc" },
  });
  return versions.map((v, i) => {
    const snap = v.snapshot as Record<string, unknown>;
    const prev = i > 0 ? (versions[i - 1]!.snapshot as Record<string, unknown>) : {};
    const fields = [...new Set([...Object.keys(prev), ...Object.keys(snap)])].sort();
    const changes =
      i === 0
        ? []
        : fields
            .filter((f) => JSON.stringify(prev[f]) !== JSON.stringify(snap[f]))
            .map((f) => ({ field: f, before: prev[f] ?? null, after: snap[f] ?? null }));
    return {
      version: v.version,
      author: v.author,
      reason: v.reason,
      createdAt: v.createdAt.toISOString(),
      changes,
      snapshot: snap,
    };
  });
}
