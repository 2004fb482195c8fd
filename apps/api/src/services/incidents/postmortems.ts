import {
  ConflictError,
  NotFoundError,
  ValidationError,
  blamelessHints,
  postmortemTransitionAllowed,
  type ActionItemResponse,
  type CreateActionItemBody,
  type PatchActionItemBody,
  type PatchPostmortemBody,
  type PostmortemImpactRow,
  type PostmortemResponse,
  type PostmortemStatus,
  type PostmortemTimelineEntry,
  type TeamOverdueResponse,
} from "@burnrate/contracts";
import { loadSliSeries, sampledSums, sloRegions, type Db, type Prisma } from "@burnrate/db";
import { DAY_MS, MINUTE_MS, buildPrefixSums, incidentBudgetImpact, minuteEnd } from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { getSloStatus } from "../status";
import { postmortemDueDays, postmortemPriorities } from "./postmortem-settings";
import { assertCanUpdateIncident } from "./incident-access";
import { incidentInclude, toIncidentResponse } from "./incident-response";

type Tx = Prisma.TransactionClient;
type PostmortemRow = Prisma.PostmortemGetPayload<{ include: { actionItems: true; incident: true } }>;
type ItemRow = Prisma.PostmortemActionItemGetPayload<object>;

const SECTIONS = [
  "summary",
  "customerImpact",
  "trigger",
  "rootCauses",
  "resolution",
  "detection",
  "wentWell",
  "wentBadly",
  "gotLucky",
] as const;

/**
 * Whether the incident's priority makes a postmortem part of its resolution (book §9.5.1): the priorities the
 * organisation chose (P1 by default).
 */
export async function postmortemRequired(db: Db | Tx, priority: string | null): Promise<boolean> {
  return priority !== null && (await postmortemPriorities(db)).includes(priority);
}

const TIMELINE_TEXT: Record<string, (e: { message: string | null; detail?: unknown }) => string> = {
  opened: (e) => e.message ?? "incident opened",
  update: (e) => e.message ?? "update",
  state: (e) => `state ${fromTo(e.detail)}`,
  priority: (e) => `priority ${fromTo(e.detail)}`,
  severity: (e) => `severity ${fromTo(e.detail)}`,
  roles: () => "roles changed",
};
function fromTo(d: unknown): string {
  const x = (d ?? {}) as { from?: unknown; to?: unknown };
  return `${String(x.from ?? "?")} → ${String(x.to ?? "?")}`;
}

/**
 * Creates the incident's postmortem if it has none, with its timeline prefilled from the incident's, and returns
 * it. Runs inside the caller's transaction (the resolution of a P1, so a crash cannot resolve without it), and
 * `ON CONFLICT DO NOTHING` on the unique incident id makes a second run (a retry, a lost answer) find the first.
 */
export async function ensurePostmortem(
  tx: Tx | Db,
  deps: { incidentId: string; by: string; nowMs: number; required: boolean },
): Promise<{ id: string; created: boolean }> {
  const existing = await tx.postmortem.findUnique({ where: { incidentId: deps.incidentId } });
  if (existing) return { id: existing.id, created: false };
  const row = await tx.incident.findUnique({ where: { id: deps.incidentId }, include: incidentInclude });
  if (!row) throw new NotFoundError("incident", deps.incidentId);
  const inc = await toIncidentResponse(tx as Db, row, true);
  const timeline: PostmortemTimelineEntry[] = (inc.timeline ?? []).map((e) => ({
    at: e.at,
    kind: e.kind,
    text: (TIMELINE_TEXT[e.kind]?.(e) ?? e.message ?? e.kind.replace(/_/g, " ")).slice(0, 2000),
    author: e.author,
  }));
  const resolvedMs = inc.resolvedAt ? Date.parse(inc.resolvedAt) : deps.nowMs;
  const dueDays = await postmortemDueDays(tx);
  const n = await tx.postmortem.createMany({
    data: [
      {
        incidentId: deps.incidentId,
        required: deps.required,
        title: `Incident ${inc.number}: ${inc.title}`.slice(0, 200),
        timeline,
        dueAt: new Date(resolvedMs + dueDays * DAY_MS),
        createdBy: deps.by,
      },
    ],
    skipDuplicates: true,
  });
  const pm = await tx.postmortem.findUniqueOrThrow({ where: { incidentId: deps.incidentId } });
  return { id: pm.id, created: n.count === 1 };
}

const startOfUtcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function toItem(i: ItemRow, nowMs: number): ActionItemResponse {
  return {
    id: i.id,
    title: i.title,
    owner: i.owner,
    dueDate: i.dueDate.toISOString().slice(0, 10),
    priority: i.priority as ActionItemResponse["priority"],
    state: i.state as ActionItemResponse["state"],
    link: i.link,
    overdue: i.state !== "done" && i.dueDate.getTime() < startOfUtcDay(nowMs),
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/**
 * Budget consumed during the incident per affected SLO × region: what went bad in the minutes from its start to its
 * resolution (or now), read from the store the status API reads, over the budget the status API gives for the period
 * at the end; the remaining budget from the status API just before and at the end.
 */
export async function incidentImpact(
  db: Db,
  inc: {
    serviceIds: string[];
    regions: string[];
    startedAt: Date;
    resolvedAt: Date | null;
    alertSloIds: string[];
  },
  nowMs: number,
): Promise<PostmortemImpactRow[]> {
  const slos = await db.slo.findMany({
    where: { OR: [{ serviceId: { in: inc.serviceIds } }, { id: { in: inc.alertSloIds } }] },
    include: { service: { select: { slug: true } } },
    orderBy: [{ service: { slug: "asc" } }, { name: "asc" }],
    take: 50,
  });
  const fromMs = Math.floor(inc.startedAt.getTime() / MINUTE_MS) * MINUTE_MS;
  const toMs = minuteEnd(Math.min(inc.resolvedAt?.getTime() ?? nowMs, nowMs));
  const out: PostmortemImpactRow[] = [];
  for (const slo of slos) {
    const known = await sloRegions(db, slo.id);
    const regions: ({ id: string; slug: string } | null)[] = known.length
      ? known.filter((r) => inc.regions.length === 0 || inc.regions.includes(r.slug))
      : [null];
    const method = slo.budgetingMethod === "timeslices" ? "timeslices" : "occurrences";
    for (const region of regions) {
      const status = (atMs: number) =>
        getSloStatus({ db, id: slo.id, region: region?.slug, at: atMs, nowMs: atMs });
      const before = await status(fromMs - 1);
      const after = await status(toMs - 1);
      const sums =
        method === "timeslices"
          ? buildPrefixSums(await loadSliSeries(db, slo.id, region?.id ?? null, fromMs, toMs))
          : await sampledSums(db, slo.id, region?.id ?? null, [fromMs, toMs]);
      const x = incidentBudgetImpact(
        { objective: slo.objectivePercent / 100, method },
        sums,
        fromMs,
        toMs,
        after.errorBudget.allowed,
      );
      out.push({
        sloId: slo.id,
        slo: slo.name,
        service: slo.service.slug,
        region: region?.slug ?? null,
        unit: after.errorBudget.unit,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        good: x.good,
        total: x.total,
        badDuring: x.badDuring,
        allowed: after.errorBudget.allowed,
        remainingBefore: before.errorBudget.remainingFraction,
        remainingAfter: after.errorBudget.remainingFraction,
        consumedFraction: x.consumedFraction,
      });
    }
  }
  return out;
}

const include = {
  actionItems: { orderBy: [{ dueDate: "asc" as const }, { createdAt: "asc" as const }] },
  incident: true,
} satisfies Prisma.PostmortemInclude;

async function toResponse(db: Db, pm: PostmortemRow, nowMs: number): Promise<PostmortemResponse> {
  const i = pm.incident;
  const alerts = await db.incidentAlert.findMany({
    where: { incidentId: i.id },
    select: { alert: { select: { sloId: true } } },
  });
  const impact = await incidentImpact(
    db,
    {
      serviceIds: i.serviceIds,
      regions: i.regions,
      startedAt: i.startedAt,
      resolvedAt: i.resolvedAt,
      alertSloIds: alerts.map((a) => a.alert.sloId),
    },
    nowMs,
  );
  return {
    id: pm.id,
    incident: {
      id: i.id,
      number: i.number,
      title: i.title,
      priority: i.priority as PostmortemResponse["incident"]["priority"],
      severity: i.severity as PostmortemResponse["incident"]["severity"],
      startedAt: i.startedAt.toISOString(),
      detectedAt: i.detectedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
      commander: i.commander,
      communicationsLead: i.communicationsLead,
      opsLead: i.opsLead,
    },
    status: pm.status as PostmortemStatus,
    required: pm.required,
    title: pm.title,
    summary: pm.summary,
    customerImpact: pm.customerImpact,
    trigger: pm.trigger,
    rootCauses: pm.rootCauses,
    resolution: pm.resolution,
    detection: pm.detection,
    wentWell: pm.wentWell,
    wentBadly: pm.wentBadly,
    gotLucky: pm.gotLucky,
    timeline: pm.timeline as PostmortemTimelineEntry[],
    impact,
    actionItems: pm.actionItems.map((a) => toItem(a, nowMs)),
    wordingHints: SECTIONS.flatMap((section) => blamelessHints(pm[section]).map((h) => ({ section, ...h }))),
    dueAt: pm.dueAt.toISOString(),
    overdue: pm.status !== "published" && pm.dueAt.getTime() < nowMs,
    publishedAt: pm.publishedAt?.toISOString() ?? null,
    createdBy: pm.createdBy,
    createdAt: pm.createdAt.toISOString(),
    updatedAt: pm.updatedAt.toISOString(),
  };
}

async function loadIncident(db: Db, id: string) {
  const inc = await db.incident.findUnique({ where: { id } });
  if (!inc) throw new NotFoundError("incident", id);
  return inc;
}

async function loadPostmortem(db: Db, incidentId: string): Promise<PostmortemRow> {
  const pm = await db.postmortem.findUnique({ where: { incidentId }, include });
  if (!pm) throw new NotFoundError("postmortem of incident", incidentId);
  return pm;
}

/** POST: the incident's postmortem, created on demand for any incident (201), or the one it already has (200). */
export async function createPostmortem(deps: {
  db: Db;
  actor: Actor | null;
  incidentId: string;
  nowMs: number;
}): Promise<{ created: boolean; body: PostmortemResponse }> {
  const inc = await loadIncident(deps.db, deps.incidentId);
  assertCanUpdateIncident(deps.actor, inc.teamIds);
  const r = await ensurePostmortem(deps.db, {
    incidentId: inc.id,
    by: actorLabel(deps.actor),
    nowMs: deps.nowMs,
    required: await postmortemRequired(deps.db, inc.priority),
  });
  if (r.created)
    await recordAudit(deps.db, {
      actor: deps.actor,
      action: "create",
      entity: "postmortem",
      entityId: r.id,
      teamId: inc.teamIds[0] ?? null,
      after: { incidentId: inc.id },
    });
  const pm = await loadPostmortem(deps.db, inc.id);
  return { created: r.created, body: await toResponse(deps.db, pm, deps.nowMs) };
}

export async function getPostmortem(deps: { db: Db; incidentId: string; nowMs: number }) {
  await loadIncident(deps.db, deps.incidentId);
  return toResponse(deps.db, await loadPostmortem(deps.db, deps.incidentId), deps.nowMs);
}

export async function patchPostmortem(deps: {
  db: Db;
  actor: Actor | null;
  incidentId: string;
  input: PatchPostmortemBody;
  nowMs: number;
}): Promise<PostmortemResponse> {
  const { db, input } = deps;
  const inc = await loadIncident(db, deps.incidentId);
  assertCanUpdateIncident(deps.actor, inc.teamIds);
  const pm = await loadPostmortem(db, inc.id);
  const from = pm.status as PostmortemStatus;
  if (input.status && !postmortemTransitionAllowed(from, input.status))
    throw new ValidationError(`body field 'status': a ${from} postmortem cannot become ${input.status}`, {
      field: "status",
    });
  const edits = Object.keys(input).filter((k) => k !== "status" && k !== "expectedUpdatedAt");
  if (from === "published" && edits.length > 0 && input.status !== "in_review")
    throw new ConflictError("the postmortem is published; move it back to in_review to edit it", {
      field: "status",
    });
  if (input.status === "published" && inc.state !== "resolved")
    throw new ValidationError("body field 'status': publish once the incident is resolved", {
      field: "status",
    });
  if (input.timeline) input.timeline.sort((a, b) => a.at.localeCompare(b.at));
  const { expectedUpdatedAt, status, ...fields } = input;
  const w = await db.postmortem.updateMany({
    where: { id: pm.id, ...(expectedUpdatedAt ? { updatedAt: new Date(expectedUpdatedAt) } : {}) },
    data: {
      ...fields,
      ...(status ? { status } : {}),
      ...(status === "published" && from !== "published" ? { publishedAt: new Date(deps.nowMs) } : {}),
      ...(status && status !== "published" ? { publishedAt: null } : {}),
    },
  });
  if (w.count === 0)
    throw new ConflictError("the postmortem changed since you opened it; reload and edit again", {
      field: "expectedUpdatedAt",
    });
  await recordAudit(db, {
    actor: deps.actor,
    action: "update",
    entity: "postmortem",
    entityId: pm.id,
    teamId: inc.teamIds[0] ?? null,
    after: { status: status ?? from, fields: edits },
  });
  return toResponse(db, await loadPostmortem(db, inc.id), deps.nowMs);
}

const dateOf = (d: string) => new Date(`${d}T00:00:00Z`);

export async function addActionItem(deps: {
  db: Db;
  actor: Actor | null;
  incidentId: string;
  input: CreateActionItemBody;
  nowMs: number;
}): Promise<ActionItemResponse> {
  const inc = await loadIncident(deps.db, deps.incidentId);
  assertCanUpdateIncident(deps.actor, inc.teamIds);
  const pm = await loadPostmortem(deps.db, inc.id);
  const { input } = deps;
  const row = await deps.db.postmortemActionItem.create({
    data: {
      postmortemId: pm.id,
      title: input.title,
      owner: input.owner.toLowerCase(),
      dueDate: dateOf(input.dueDate),
      priority: input.priority,
      state: input.state,
      link: input.link ?? null,
      doneAt: input.state === "done" ? new Date(deps.nowMs) : null,
    },
  });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "create",
    entity: "postmortem_action_item",
    entityId: row.id,
    teamId: inc.teamIds[0] ?? null,
    after: { title: row.title, owner: row.owner, dueDate: input.dueDate, state: row.state },
  });
  return toItem(row, deps.nowMs);
}

export async function patchActionItem(deps: {
  db: Db;
  actor: Actor | null;
  incidentId: string;
  itemId: string;
  input: PatchActionItemBody;
  nowMs: number;
}): Promise<ActionItemResponse> {
  const inc = await loadIncident(deps.db, deps.incidentId);
  assertCanUpdateIncident(deps.actor, inc.teamIds);
  const pm = await loadPostmortem(deps.db, inc.id);
  const item = await deps.db.postmortemActionItem.findFirst({
    where: { id: deps.itemId, postmortemId: pm.id },
  });
  if (!item) throw new NotFoundError("action item", deps.itemId);
  const { input } = deps;
  const row = await deps.db.postmortemActionItem.update({
    where: { id: item.id },
    data: {
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.owner !== undefined ? { owner: input.owner.toLowerCase() } : {}),
      ...(input.dueDate !== undefined ? { dueDate: dateOf(input.dueDate) } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.link !== undefined ? { link: input.link } : {}),
      ...(input.state !== undefined
        ? {
            state: input.state,
            doneAt: input.state === "done" ? (item.doneAt ?? new Date(deps.nowMs)) : null,
          }
        : {}),
    },
  });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "update",
    entity: "postmortem_action_item",
    entityId: row.id,
    teamId: inc.teamIds[0] ?? null,
    after: { ...input },
  });
  return toItem(row, deps.nowMs);
}

/** Overdue postmortems and action items of the incidents that touch a team (the team page). */
export async function teamOverdue(deps: {
  db: Db;
  slug: string;
  nowMs: number;
}): Promise<TeamOverdueResponse> {
  const team = await deps.db.team.findUnique({ where: { slug: deps.slug } });
  if (!team) throw new NotFoundError("team", deps.slug);
  const ofTeam = { incident: { teamIds: { has: team.id } } };
  const [pms, items] = await Promise.all([
    deps.db.postmortem.findMany({
      where: { ...ofTeam, status: { not: "published" }, dueAt: { lt: new Date(deps.nowMs) } },
      include: { incident: { select: { number: true } } },
      orderBy: { dueAt: "asc" },
      take: 200,
    }),
    deps.db.postmortemActionItem.findMany({
      where: {
        state: { not: "done" },
        dueDate: { lt: new Date(startOfUtcDay(deps.nowMs)) },
        postmortem: ofTeam,
      },
      include: {
        postmortem: { select: { title: true, incidentId: true, incident: { select: { number: true } } } },
      },
      orderBy: [{ dueDate: "asc" }, { createdAt: "asc" }],
      take: 500,
    }),
  ]);
  return {
    postmortems: pms.map((p) => ({
      id: p.id,
      incidentId: p.incidentId,
      incidentNumber: p.incident.number,
      title: p.title,
      status: p.status as PostmortemStatus,
      dueAt: p.dueAt.toISOString(),
    })),
    actionItems: items.map((i) => ({
      ...toItem(i, deps.nowMs),
      incidentId: i.postmortem.incidentId,
      incidentNumber: i.postmortem.incident.number,
      postmortemTitle: i.postmortem.title,
    })),
  };
}
