import type { NewsletterContent, NewsletterSloLine } from "@burnrate/contracts";
import { findSlos, loadSliSeries, type Db } from "@burnrate/db";
import {
  DAY_MS,
  buildPrefixSums,
  budgetSpent,
  computeStatus,
  sli,
  sloReviewDue,
  statusRange,
  windowCounts,
} from "@burnrate/slo-core";
import { lastCompleteWeek, type NewsletterWeek } from "./schedule";

/** Most lines of worst burns. */
const WORST = 5;
/** Policy reviews due this long after the week's end are listed as upcoming. */
const REVIEW_AHEAD_MS = 28 * 24 * 60 * 60 * 1000;

/**
 * A team's (or, with `team` null, every team's) explicit SLOs over one local week: the week's SLI and whether
 * it met the objective, the share of the week's budget used, the budget left of each SLO's period at the
 * week's end (as the status API computes it at that instant), the previous week's SLI, the worst burns, and
 * the team's incidents that started in the week. Every region together.
 */
export async function buildNewsletter(deps: {
  db: Db;
  team: { id: string; slug: string; name: string } | null;
  week: NewsletterWeek;
  publicUrl: string;
  /** Overdue postmortems and action items are those due before the week's end, or before now if earlier. */
  nowMs?: number;
}): Promise<NewsletterContent> {
  const { db, team, week } = deps;
  const slos = await findSlos(db, {
    where: { kind: "explicit", ...(team ? { service: { teamId: team.id } } : {}) },
    orderBy: [{ service: { slug: "asc" } }, { name: "asc" }],
  });
  // the week before, for the trend: its own local days (its length differs across a DST change)
  const prevStart = lastCompleteWeek(week.start, week.timeZone).start;
  const lines: NewsletterSloLine[] = [];
  for (const s of slos) {
    // the status at the week's last millisecond: its windows end with the week's last minute
    const at = week.end - 1;
    const model = s.model(at);
    const range = statusRange(model, at);
    const status = computeStatus(model, await loadSliSeries(db, s.id, null, range.fromMs, range.toMs), at);
    const weeks = await loadSliSeries(db, s.id, null, prevStart, week.end);
    const sums = buildPrefixSums(weeks);
    const c = windowCounts(sums, week.start, week.end);
    const p = windowCounts(sums, prevStart, week.start);
    const weekSli = c.total > 0 ? sli(c) : null;
    lines.push({
      sloId: s.id,
      name: s.response.name,
      service: s.response.service,
      team: s.response.team,
      objectivePercent: s.response.objectivePercent,
      weekGood: c.good,
      weekTotal: c.total,
      weekSli,
      met: weekSli === null ? null : weekSli >= model.objective,
      weekBudgetSpent: c.total > 0 ? budgetSpent(c, model.objective) : null,
      budgetRemaining: status.counts.total > 0 ? status.remaining : null,
      previousWeekSli: p.total > 0 ? sli(p) : null,
    });
  }
  const teamIds = team ? [team.id] : null;
  const incidents = await db.incident.findMany({
    where: {
      startedAt: { gte: new Date(week.start), lt: new Date(week.end) },
      ...(teamIds ? { teamIds: { hasSome: teamIds } } : {}),
    },
    orderBy: { startedAt: "asc" },
    take: 20,
  });
  const overdue = await overdueFromPostmortems(db, teamIds, Math.min(week.end, deps.nowMs ?? week.end));
  const versions = await db.sloVersion.findMany({
    where: {
      createdAt: { gte: new Date(week.start), lt: new Date(week.end) },
      slo: { kind: "explicit", ...(team ? { service: { teamId: team.id } } : {}) },
    },
    include: { slo: { select: { name: true, service: { select: { slug: true } } } } },
    orderBy: [{ createdAt: "asc" }, { slo: { name: "asc" } }, { version: "asc" }],
    take: 20,
  });
  const policies = await db.errorBudgetPolicy.findMany({
    where: {
      nextReviewAt: { lt: new Date(week.end + REVIEW_AHEAD_MS) },
      ...(team ? { teamId: team.id } : {}),
    },
    orderBy: { nextReviewAt: "asc" },
    take: 20,
  });
  const policyTeams = new Map(
    (
      await db.team.findMany({
        where: { id: { in: policies.map((p) => p.teamId) } },
        select: { id: true, slug: true },
      })
    ).map((t) => [t.id, t.slug]),
  );
  // SLO reviews overdue at the week's end or due in the four weeks after it (reviews after the week not counted)
  const lastReviews = new Map(
    (
      await db.sloReview.groupBy({
        by: ["sloId"],
        where: { sloId: { in: slos.map((s) => s.row.id) }, reviewedAt: { lt: new Date(week.end) } },
        _max: { reviewedAt: true },
      })
    ).map((r) => [r.sloId, r._max.reviewedAt?.getTime() ?? null]),
  );
  const sloReviews = slos
    .map((s) => ({
      s,
      due: sloReviewDue(
        {
          createdAtMs: s.row.createdAt.getTime(),
          lastReviewedAtMs: lastReviews.get(s.row.id) ?? null,
          everyDays: s.row.reviewEveryDays,
        },
        week.end,
      ),
    }))
    .filter(({ due }) => due.state !== "ok")
    .sort((a, b) => a.due.dueAtMs - b.due.dueAtMs || a.s.row.name.localeCompare(b.s.row.name))
    .slice(0, 20)
    .map(({ s, due }) => ({
      sloId: s.row.id,
      name: s.row.name,
      service: s.row.service.slug,
      dueOn: new Date(due.dueAtMs).toISOString().slice(0, 10),
      overdue: due.state === "overdue",
    }));
  const base = deps.publicUrl.replace(/\/$/, "");
  return {
    scope: { team: team?.slug ?? null, name: team?.name ?? "All teams" },
    week: {
      firstDay: week.firstDay,
      lastDay: week.lastDay,
      start: week.start,
      end: week.end,
      timeZone: week.timeZone,
    },
    summary: {
      slos: lines.length,
      met: lines.filter((l) => l.met === true).length,
      broken: lines.filter((l) => l.met === false).length,
      noData: lines.filter((l) => l.met === null).length,
    },
    slos: lines,
    worstBurns: lines
      .filter((l) => (l.weekBudgetSpent ?? 0) > 0)
      .sort((a, b) => b.weekBudgetSpent! - a.weekBudgetSpent! || a.name.localeCompare(b.name))
      .slice(0, WORST),
    incidents: incidents.map((i) => ({
      id: i.id,
      title: i.title,
      severity: i.severity,
      startedAt: i.startedAt.toISOString(),
      resolvedAt: i.resolvedAt?.toISOString() ?? null,
    })),
    overdue,
    changes: versions.map((v) => ({
      sloId: v.sloId,
      name: v.slo.name,
      service: v.slo.service.slug,
      version: v.version,
      reason: v.reason,
      at: v.createdAt.toISOString(),
    })),
    policyReviews: policies.map((p) => ({
      team: policyTeams.get(p.teamId) ?? "",
      dueOn: p.nextReviewAt!.toISOString().slice(0, 10),
      overdue: p.nextReviewAt!.getTime() < week.end,
    })),
    sloReviews,
    link: `${base}/${team ? `teams/${encodeURIComponent(team.slug)}/newsletter` : "newsletter"}?week=${week.firstDay}`,
  };
}

/** Most overdue postmortems and action items listed. */
const MAX_OVERDUE = 20;

/**
 * Postmortems not yet published past their due time, and action items not done whose due date (a UTC day)
 * ended before `atMs`, of the incidents touching the teams (all incidents with `teamIds` null): the team
 * page's list, as of `atMs`.
 */
async function overdueFromPostmortems(
  db: Db,
  teamIds: string[] | null,
  atMs: number,
): Promise<NewsletterContent["overdue"]> {
  const ofTeams = teamIds ? { incident: { teamIds: { hasSome: teamIds } } } : {};
  const startOfDay = Math.floor(atMs / DAY_MS) * DAY_MS;
  const [pms, items] = await Promise.all([
    db.postmortem.findMany({
      where: { ...ofTeams, status: { not: "published" }, dueAt: { lt: new Date(atMs) } },
      include: { incident: { select: { number: true } } },
      orderBy: { dueAt: "asc" },
      take: MAX_OVERDUE,
    }),
    db.postmortemActionItem.findMany({
      where: { state: { not: "done" }, dueDate: { lt: new Date(startOfDay) }, postmortem: ofTeams },
      include: { postmortem: { select: { incidentId: true, incident: { select: { number: true } } } } },
      orderBy: [{ dueDate: "asc" }, { createdAt: "asc" }],
      take: MAX_OVERDUE,
    }),
  ]);
  return {
    postmortems: pms.map((p) => ({
      incidentId: p.incidentId,
      incidentNumber: p.incident.number,
      title: p.title,
      dueAt: p.dueAt.toISOString(),
    })),
    actionItems: items.map((i) => ({
      incidentId: i.postmortem.incidentId,
      incidentNumber: i.postmortem.incident.number,
      title: i.title,
      dueDate: i.dueDate.toISOString().slice(0, 10),
      state: i.state,
    })),
  };
}
