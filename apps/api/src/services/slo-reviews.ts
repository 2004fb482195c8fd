import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type CreateSloReviewBody,
  type SloReviewDueItem,
  type SloReviewResponse,
  type SloReviewsResponse,
  type TeamReviewsResponse,
} from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import { reviewObjectiveProblem, sloReviewDue } from "@burnrate/slo-core";
import { actorLabel, type Actor } from "../auth/actor";
import { assertCanWriteTeam } from "../auth/permissions";
import type { Enqueue } from "@burnrate/jobs";
import { recordAudit } from "./audit";
import { patchSlo, type Tx } from "./slos";
import { findTeam } from "./teams/find-team";

type ReviewRow = {
  id: string;
  sloId: string;
  outcome: string;
  reason: string;
  objectiveBefore: number;
  objectiveAfter: number;
  version: number;
  reviewedBy: string;
  reviewedAt: Date;
};

function toReview(r: ReviewRow): SloReviewResponse {
  return {
    id: r.id,
    sloId: r.sloId,
    outcome: r.outcome as SloReviewResponse["outcome"],
    reason: r.reason,
    objectiveBefore: r.objectiveBefore,
    objectiveAfter: r.objectiveAfter,
    version: r.version,
    reviewedBy: r.reviewedBy,
    reviewedAt: r.reviewedAt.toISOString(),
  };
}

const DUE_SELECT = {
  id: true,
  name: true,
  createdAt: true,
  reviewEveryDays: true,
  service: { select: { slug: true, team: { select: { slug: true } } } },
  reviews: { select: { reviewedAt: true }, orderBy: { reviewedAt: "desc" }, take: 1 },
} as const;

type DueRow = {
  id: string;
  name: string;
  createdAt: Date;
  reviewEveryDays: number;
  service: { slug: string; team: { slug: string } };
  reviews: { reviewedAt: Date }[];
};

/** Where one SLO's review stands at `nowMs` (slo-core's cadence rule over the stored dates). */
export function reviewDueOf(s: DueRow, nowMs: number): SloReviewDueItem {
  const last = s.reviews[0]?.reviewedAt ?? null;
  const due = sloReviewDue(
    {
      createdAtMs: s.createdAt.getTime(),
      lastReviewedAtMs: last?.getTime() ?? null,
      everyDays: s.reviewEveryDays,
    },
    nowMs,
  );
  return {
    sloId: s.id,
    name: s.name,
    service: s.service.slug,
    team: s.service.team.slug,
    reviewEveryDays: s.reviewEveryDays,
    lastReviewedAt: last?.toISOString() ?? null,
    dueAt: new Date(due.dueAtMs).toISOString(),
    state: due.state,
    daysLeft: due.daysLeft,
  };
}

/** Every explicit SLO's review state, of one team (by id) or of all teams. */
export async function reviewStates(db: Db, teamIds: string[] | null, nowMs: number) {
  const rows = await db.slo.findMany({
    where: { kind: "explicit", ...(teamIds ? { service: { teamId: { in: teamIds } } } : {}) },
    select: {
      ...DUE_SELECT,
      service: { select: { slug: true, teamId: true, team: { select: { slug: true } } } },
    },
  });
  return rows.map((r) => ({
    teamId: r.service.teamId,
    reviewed: r.reviews.length > 0,
    ...reviewDueOf(r, nowMs),
  }));
}

/** An SLO's reviews, newest first, and when the next is due. */
export async function listSloReviews(deps: {
  db: Db;
  id: string;
  nowMs: number;
}): Promise<SloReviewsResponse> {
  const slo = await deps.db.slo.findUnique({ where: { id: deps.id }, select: DUE_SELECT });
  if (!slo) throw new NotFoundError("slo", deps.id);
  const reviews = await deps.db.sloReview.findMany({
    where: { sloId: deps.id },
    orderBy: [{ reviewedAt: "desc" }, { version: "desc" }],
  });
  return { review: reviewDueOf(slo, deps.nowMs), reviews: reviews.map(toReview) };
}

/** A team's SLOs whose review is overdue or due in the next four weeks, soonest first. */
export async function teamReviews(deps: {
  db: Db;
  team: string;
  nowMs: number;
}): Promise<TeamReviewsResponse> {
  const team = await findTeam(deps.db, deps.team);
  const states = await reviewStates(deps.db, [team.id], deps.nowMs);
  return {
    generatedAt: new Date(deps.nowMs).toISOString(),
    slos: states
      .filter((s) => s.state !== "ok")
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.name.localeCompare(b.name))
      .map(({ teamId: _t, reviewed: _r, ...item }) => item),
  };
}

/**
 * Records a review. "keep" leaves the SLO as it is; "tighten" and "loosen" change its objective through the
 * same path as PATCH /slos/:id (a new version with the review's reason), and the review is written in that
 * change's transaction.
 */
export async function createSloReview(deps: {
  db: Db;
  actor: Actor | null;
  enqueue: Enqueue;
  id: string;
  input: CreateSloReviewBody;
  nowMs: number;
}): Promise<SloReviewResponse> {
  const { db, actor, input } = deps;
  const slo = await db.slo.findUnique({
    where: { id: deps.id },
    select: {
      id: true,
      kind: true,
      objectivePercent: true,
      version: true,
      service: { select: { teamId: true } },
    },
  });
  if (!slo) throw new NotFoundError("slo", deps.id);
  assertCanWriteTeam(actor, slo.service.teamId);
  if (slo.kind === "default")
    throw new ConflictError(
      `SLO ${slo.id} is derived from its service's default SLO; review the defaults instead`,
    );
  const problem = reviewObjectiveProblem(input.outcome, slo.objectivePercent, input.objectivePercent);
  if (problem)
    throw new ValidationError(`body field 'objectivePercent': ${problem}`, { field: "objectivePercent" });
  const reviewedAt = new Date(deps.nowMs);
  const reviewedBy = actorLabel(actor);
  const write = async (tx: Tx, before: number, after: number, version: number) => {
    const row = await tx.sloReview.create({
      data: {
        sloId: slo.id,
        outcome: input.outcome,
        reason: input.reason,
        objectiveBefore: before,
        objectiveAfter: after,
        version,
        reviewedBy,
        reviewedAt,
      },
    });
    await recordAudit(tx, {
      actor,
      action: "create",
      entity: "slo_review",
      entityId: row.id,
      teamId: slo.service.teamId,
      after: row,
    });
    return row;
  };
  if (input.outcome === "keep")
    return toReview(
      await inTransaction(db, (tx) => write(tx, slo.objectivePercent, slo.objectivePercent, slo.version)),
    );
  let saved: ReviewRow | null = null;
  await patchSlo({
    db,
    actor,
    enqueue: deps.enqueue,
    id: slo.id,
    input: { objectivePercent: input.objectivePercent, reason: `review (${input.outcome}): ${input.reason}` },
    alsoInTransaction: async (tx, before, after) => {
      saved = await write(tx, before.objectivePercent, after.objectivePercent, after.version);
    },
  });
  return toReview(saved!);
}
