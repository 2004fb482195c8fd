import {
  ValidationError,
  type AdoptionQuery,
  type AdoptionResponse,
  type MilestoneResponse,
  type PutMilestoneBody,
  Signature,
} from "@burnrate/contracts";
import { inTransaction, type Db } from "@burnrate/db";
import {
  ADOPTION_PHASE_INFO,
  adoptionBoard,
  cultureTrend,
  slosReviewedOnTime,
  type AdoptionPhase,
  type DerivedPhase,
  type TeamAdoptionInput,
} from "@burnrate/slo-core";
import { z } from "zod";
import { actorLabel, type Actor } from "../../auth/actor";
import { assertCanWriteTeam } from "../../auth/permissions";
import { recordAudit } from "../audit";
import { findTeam } from "../teams/find-team";
import { missingSignatures } from "../policy";
import { reviewStates } from "../slo-reviews";
import { scoresOf } from "./culture";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The first day of something per team, from one aggregate query. */
type FirstRow = { team_id: string; first: Date | null };

async function derivedFacts(
  db: Db,
  teamIds: string[],
  nowMs: number,
): Promise<Map<string, Partial<Record<AdoptionPhase, DerivedPhase>>>> {
  const out = new Map<string, Partial<Record<AdoptionPhase, DerivedPhase>>>(teamIds.map((id) => [id, {}]));
  if (teamIds.length === 0) return out;
  const put = (rows: FirstRow[], phase: AdoptionPhase, dated = true) => {
    for (const r of rows) {
      const facts = out.get(r.team_id);
      if (facts) facts[phase] = { reached: true, since: dated && r.first ? day(r.first) : null };
    }
  };
  const [services, traffic, slos, slack, acks, schedules, pages, policies, reviews] = await Promise.all([
    db.$queryRaw<FirstRow[]>`SELECT team_id::text, min(created_at) AS first FROM services
      WHERE team_id = ANY(${teamIds}::uuid[]) GROUP BY team_id`,
    // traffic in the rollups (a primary-key lookup per service); undated, as retention drops the oldest minutes
    db.$queryRaw<FirstRow[]>`SELECT DISTINCT s.team_id::text, NULL::timestamptz AS first FROM services s
      WHERE s.team_id = ANY(${teamIds}::uuid[])
        AND EXISTS (SELECT 1 FROM request_rollups r WHERE r.service_id = s.id)`,
    db.$queryRaw<FirstRow[]>`SELECT s.team_id::text, min(o.created_at) AS first FROM slos o
      JOIN services s ON s.id = o.service_id WHERE s.team_id = ANY(${teamIds}::uuid[]) GROUP BY s.team_id`,
    db.$queryRaw<FirstRow[]>`SELECT s.team_id::text, min(a.fired_at) AS first FROM alerts a
      JOIN slos o ON o.id = a.slo_id JOIN services s ON s.id = o.service_id
      WHERE s.team_id = ANY(${teamIds}::uuid[]) AND a.slack_ts IS NOT NULL GROUP BY s.team_id`,
    db.$queryRaw<FirstRow[]>`SELECT s.team_id::text, min(a.acknowledged_at) AS first FROM alerts a
      JOIN slos o ON o.id = a.slo_id JOIN services s ON s.id = o.service_id
      WHERE s.team_id = ANY(${teamIds}::uuid[]) AND a.acknowledged_at IS NOT NULL GROUP BY s.team_id`,
    db.$queryRaw<FirstRow[]>`SELECT team_id::text, min(first) AS first FROM (
        SELECT team_id, created_at AS first FROM schedules WHERE team_id = ANY(${teamIds}::uuid[])
        UNION ALL
        SELECT d.team_id, s.created_at FROM schedule_domain_teams d JOIN schedules s ON s.id = d.schedule_id
        WHERE d.team_id = ANY(${teamIds}::uuid[])
      ) x GROUP BY team_id`,
    db.$queryRaw<FirstRow[]>`SELECT s.team_id::text, min(p.created_at) AS first FROM status_page_components c
      JOIN status_pages p ON p.id = c.status_page_id JOIN services s ON s.id = c.service_id
      WHERE s.team_id = ANY(${teamIds}::uuid[]) GROUP BY s.team_id`,
    db.errorBudgetPolicy.findMany({
      where: { teamId: { in: teamIds } },
      select: { teamId: true, agreedBy: true },
    }),
    reviewStates(db, teamIds, nowMs),
  ]);
  put(services, "services_registered");
  put(traffic, "logging_apm", false);
  put(slos, "first_slos");
  put(slack, "alerts_to_slack");
  put(acks, "reacting_to_alerts");
  put(schedules, "oncall_setup");
  put(pages, "status_page_live");
  for (const p of policies) {
    const signed = z.array(Signature).safeParse(p.agreedBy);
    if (!signed.success || missingSignatures(signed.data).length > 0) continue;
    // in force from the day of its last signature
    const since =
      signed.data
        .map((s) => s.date)
        .sort()
        .at(-1) ?? null;
    out.get(p.teamId)!.error_budget_policy = { reached: true, since };
  }
  // a state of today (every SLO within its cadence), so undated: it counts in the current quarter
  for (const id of teamIds)
    if (slosReviewedOnTime(reviews.filter((r) => r.teamId === id)))
      out.get(id)!.slos_reviewed = { reached: true, since: null };
  return out;
}

/** The adoption board: every team's phases (derived or entered by hand), teams per phase, and the trend. */
export async function adoptionReport(deps: {
  db: Db;
  query: AdoptionQuery;
  nowMs: number;
}): Promise<AdoptionResponse> {
  const { db, query } = deps;
  const teams = query.team
    ? [await findTeam(db, query.team)]
    : await db.team.findMany({ orderBy: { slug: "asc" } });
  const ids = teams.map((t) => t.id);
  const [facts, milestones, culture] = await Promise.all([
    derivedFacts(db, ids, deps.nowMs),
    db.adoptionMilestone.findMany({ where: { teamId: { in: ids } } }),
    db.cultureAssessment.findMany({ where: { teamId: { in: ids } } }),
  ]);
  const inputs: TeamAdoptionInput[] = teams.map((t) => ({
    team: t.slug,
    name: t.name,
    derived: facts.get(t.id) ?? {},
    manual: milestones
      .filter((m) => m.teamId === t.id)
      .map((m) => ({
        phase: m.phase as AdoptionPhase,
        reached: m.reached,
        reachedOn: m.reachedOn ? day(m.reachedOn) : null,
        targetDate: m.targetDate ? day(m.targetDate) : null,
        note: m.note,
        updatedBy: m.updatedBy,
        updatedAt: m.updatedAt.toISOString(),
      })),
  }));
  const today = day(new Date(deps.nowMs));
  const board = adoptionBoard(inputs, today, query.quarters);
  return {
    generatedAt: new Date(deps.nowMs).toISOString(),
    today,
    phases: ADOPTION_PHASE_INFO.map((info, i) => ({ ...info, ...board.counts[i]! })),
    teams: board.teams,
    trend: board.trend,
    culture: cultureTrend(
      culture.map((c) => ({ quarter: c.quarter, scores: scoresOf(c) })),
      board.trend.map((t) => t.quarter),
    ),
  };
}

/** One CSV line per team, one column per phase: the day reached, "reached", "overdue" or empty. */
export function adoptionCsv(r: AdoptionResponse): string {
  const q = (v: string) => (/[",\n\r]/.test(v) || /^[=+\-@\t]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [["team", "name", "reached", ...r.phases.map((p) => p.phase)].join(",")];
  for (const t of r.teams)
    lines.push(
      [
        q(t.team),
        q(t.name),
        String(t.reachedCount),
        ...t.phases.map((p) =>
          p.state === "reached" ? (p.reachedOn ?? "reached") : p.state === "overdue" ? "overdue" : "",
        ),
      ].join(","),
    );
  return lines.join("\r\n") + "\r\n";
}

/** Records a phase by hand: who, when, the day reached or the target date, and a note. */
export async function putMilestone(deps: {
  db: Db;
  actor: Actor | null;
  team: string;
  phase: AdoptionPhase;
  input: PutMilestoneBody;
  nowMs: number;
}): Promise<MilestoneResponse> {
  const { db, actor, input } = deps;
  const team = await findTeam(db, deps.team);
  assertCanWriteTeam(actor, team.id);
  const today = day(new Date(deps.nowMs));
  const reachedOn = input.reached ? (input.reachedOn ?? today) : null;
  if (reachedOn && reachedOn > today)
    throw new ValidationError("reachedOn must not be in the future", { field: "reachedOn" });
  const data = {
    reached: input.reached,
    reachedOn: reachedOn ? new Date(`${reachedOn}T00:00:00Z`) : null,
    targetDate: input.targetDate ? new Date(`${input.targetDate}T00:00:00Z`) : null,
    note: input.note || null,
    updatedBy: actorLabel(actor),
  };
  const key = { teamId_phase: { teamId: team.id, phase: deps.phase } };
  const before = await db.adoptionMilestone.findUnique({ where: key });
  const saved = await inTransaction(db, async (tx) => {
    const m = await tx.adoptionMilestone.upsert({
      where: key,
      create: { teamId: team.id, phase: deps.phase, ...data },
      update: data,
    });
    await recordAudit(tx, {
      actor,
      action: before ? "update" : "create",
      entity: "adoption_milestone",
      entityId: `${team.slug}/${deps.phase}`,
      teamId: team.id,
      before: before ?? undefined,
      after: m,
    });
    return m;
  });
  return {
    team: team.slug,
    phase: deps.phase,
    reached: saved.reached,
    reachedOn: saved.reachedOn ? day(saved.reachedOn) : null,
    targetDate: saved.targetDate ? day(saved.targetDate) : null,
    note: saved.note,
    updatedBy: saved.updatedBy,
    updatedAt: saved.updatedAt.toISOString(),
  };
}
