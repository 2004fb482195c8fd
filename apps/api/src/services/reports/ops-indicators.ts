import {
  ValidationError,
  type OnCallIndicatorsQuery,
  type OnCallIndicatorsResponse,
  type TtrTrendQuery,
  type TtrTrendResponse,
} from "@burnrate/contracts";
import { scheduleModels, type Db, type ScheduleRow } from "@burnrate/db";
import {
  DAY_MS,
  MINUTE_MS,
  isActiveAt,
  periodAt,
  periodIndexAt,
  periodStartMs,
  rotationPages,
  rotationsIndicator,
  rotationWeek,
  ttrTrend,
  type TimeSpan,
} from "@burnrate/slo-core";

const YEAR_MS = 365 * DAY_MS;
/** Most periods one TTR answer covers (13 four-week periods a year: ten years of them). */
const MAX_PERIODS = 130;
/** Most incidents one answer reads. */
const MAX_INCIDENTS = 20_000;

/** The window of a query: `to` defaults to now, `from` to `defaultSpanMs` before it; from must be before to. */
function windowOf(q: { from?: Date; to?: Date }, nowMs: number, defaultSpanMs: number): TimeSpan {
  const endMs = q.to?.getTime() ?? nowMs;
  const startMs = q.from?.getTime() ?? endMs - defaultSpanMs;
  if (startMs >= endMs)
    throw new ValidationError("query field 'from': must be before 'to'", { field: "from" });
  return { startMs, endMs };
}

/** The UTC calendar periods of a scale that overlap [startMs, endMs), oldest first. */
export function scalePeriods(scale: TtrTrendQuery["scale"], span: TimeSpan): TimeSpan[] {
  const window = { type: "calendar" as const, period: scale, timeZone: "UTC" };
  const out: TimeSpan[] = [];
  let p = periodAt(window, span.startMs);
  while (p.startMs < span.endMs) {
    out.push(p);
    if (out.length > MAX_PERIODS)
      throw new ValidationError(
        `query field 'from': at most ${MAX_PERIODS} periods of '${scale}' fit in one answer`,
        { field: "from" },
      );
    p = periodAt(window, p.endMs);
  }
  return out;
}

async function slugIds(db: Db, q: { team?: string; service?: string }) {
  const team = q.team ? await db.team.findUnique({ where: { slug: q.team }, select: { id: true } }) : null;
  const service = q.service
    ? await db.service.findUnique({ where: { slug: q.service }, select: { id: true } })
    : null;
  // an unknown slug names nothing: an empty report, as the other reports answer
  const unknown = (q.team !== undefined && !team) || (q.service !== undefined && !service);
  return { teamId: team?.id, serviceId: service?.id, unknown };
}

/**
 * Incident time-to-recovery trend (book §11.2.11, Fig 11.15): the incidents whose impact started in the
 * window's periods, each with its TTR (resolution − start), per period and per team, with a trendline.
 */
export async function ttrTrendReport(deps: {
  db: Db;
  query: TtrTrendQuery;
  nowMs: number;
}): Promise<TtrTrendResponse> {
  const { db, query } = deps;
  const span = windowOf(query, deps.nowMs, YEAR_MS);
  const periods = scalePeriods(query.scale, span);
  const from = periods[0]?.startMs ?? span.startMs;
  const to = periods.at(-1)?.endMs ?? span.endMs;
  const ids = await slugIds(db, query);
  const rows = ids.unknown
    ? []
    : await db.incident.findMany({
        where: {
          startedAt: { gte: new Date(from), lt: new Date(Math.min(to, span.endMs)) },
          ...(ids.teamId ? { teamIds: { has: ids.teamId } } : {}),
          ...(ids.serviceId ? { serviceIds: { has: ids.serviceId } } : {}),
          ...(query.region ? { regions: { has: query.region } } : {}),
        },
        orderBy: [{ startedAt: "asc" }, { number: "asc" }],
        take: MAX_INCIDENTS,
      });
  const teamIds = [...new Set(rows.flatMap((r) => r.teamIds))];
  const serviceIds = [...new Set(rows.flatMap((r) => r.serviceIds))];
  const [teams, services] = await Promise.all([
    db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true, slug: true } }),
    db.service.findMany({ where: { id: { in: serviceIds } }, select: { id: true, slug: true } }),
  ]);
  const teamSlug = new Map(teams.map((t) => [t.id, t.slug]));
  const serviceSlug = new Map(services.map((s) => [s.id, s.slug]));
  const asInput = (r: (typeof rows)[number]) => ({
    startedAtMs: r.startedAt.getTime(),
    resolvedAtMs: r.resolvedAt?.getTime() ?? null,
  });
  const trend = (rs: typeof rows) => {
    const t = ttrTrend(rs.map(asInput), periods);
    return {
      ...t,
      periods: t.periods.map(({ startMs, endMs, ...rest }) => ({ start: startMs, end: endMs, ...rest })),
    };
  };
  const teamsOut = [...teamSlug.entries()]
    .sort((a, b) => a[1].localeCompare(b[1]))
    .filter(([id]) => !ids.teamId || id === ids.teamId)
    .map(([id, slug]) => ({ team: slug, ...trend(rows.filter((r) => r.teamIds.includes(id))) }));
  const resolved = rows.filter((r) => r.resolvedAt && r.resolvedAt >= r.startedAt);
  return {
    from,
    to,
    scale: query.scale,
    overall: trend(rows),
    teams: teamsOut,
    incidents: resolved.map((r) => ({
      id: r.id,
      number: r.number,
      title: r.title,
      startedAt: r.startedAt.getTime(),
      resolvedAt: r.resolvedAt!.getTime(),
      ttrMinutes: (r.resolvedAt!.getTime() - r.startedAt.getTime()) / MINUTE_MS,
      teams: r.teamIds.map((t) => teamSlug.get(t) ?? t).sort(),
      services: r.serviceIds.map((s) => serviceSlug.get(s) ?? s).sort(),
    })),
    open: rows.filter((r) => !r.resolvedAt).length,
  };
}

/** Monday 00:00 UTC of the week holding `atMs`. */
export function utcMonday(atMs: number): number {
  const day = Math.floor(atMs / DAY_MS);
  const THURSDAY_OFFSET = 3; // day 0 (1970-01-01) was a Thursday
  return (day - ((day + THURSDAY_OFFSET) % 7)) * DAY_MS;
}

/**
 * On-call rotations by team (book §11.2.10, Fig 11.14): each rotation (a schedule) with its covered UTC hours
 * in the week holding `to`, the services it covers and how many people are on it; per service, the hours no
 * rotation covers; and over the window, the pages (incidents of its services) per shift, those detected while
 * it was off duty, and the median time to acknowledge. Counts are per rotation and per team, never per person.
 * Region schedules belong to no team and are left out.
 */
export async function onCallIndicatorsReport(deps: {
  db: Db;
  query: OnCallIndicatorsQuery;
  nowMs: number;
}): Promise<OnCallIndicatorsResponse> {
  const { db, query } = deps;
  const span = windowOf(query, deps.nowMs, 28 * DAY_MS);
  const monday = utcMonday(span.endMs - 1);
  const ids = await slugIds(db, query);
  const empty = { from: span.startMs, to: span.endMs, referenceWeek: monday, teams: [] };
  if (ids.unknown) return empty;
  const teams = await db.team.findMany({
    where: ids.teamId ? { id: ids.teamId } : {},
    select: {
      id: true,
      slug: true,
      services: { select: { id: true, slug: true }, orderBy: { slug: "asc" } },
    },
    orderBy: { slug: "asc" },
  });
  const rows: ScheduleRow[] = await db.schedule.findMany({
    where: { scope: { in: ["team", "domain"] } },
    include: {
      team: true,
      domainTeams: { include: { team: true } },
      layers: {
        orderBy: { ord: "asc" },
        include: { members: { orderBy: { ord: "asc" }, include: { user: true } } },
      },
    },
    orderBy: [{ name: "asc" }, { createdAt: "asc" }],
  });
  const models = await scheduleModels(db, rows, span.startMs);
  const incidents = await db.incident.findMany({
    where: { detectedAt: { gte: new Date(span.startMs), lt: new Date(span.endMs) } },
    select: { detectedAt: true, acknowledgedAt: true, serviceIds: true, teamIds: true },
    take: MAX_INCIDENTS,
  });
  const slugOf = new Map(teams.flatMap((t) => t.services.map((s) => [s.id, s.slug] as const)));
  const out: OnCallIndicatorsResponse["teams"] = [];
  for (const team of teams) {
    const teamServiceIds = team.services.map((s) => s.id);
    const mine = rows.filter((r) => r.teamId === team.id || r.domainTeams.some((d) => d.teamId === team.id));
    const rotations = mine
      .map((row) => {
        const model = models.get(row.id)!.model;
        const covers = row.serviceIds.length > 0 ? row.serviceIds : teamServiceIds;
        const layers = model.layers.map((l) => ({ rotation: l, startsAtMs: periodStartMs(l, 0) }));
        const hours = {
          timeZone: row.timeZone,
          layers: layers.map((l) => ({ activeHours: l.rotation.activeHours, startsAtMs: l.startsAtMs })),
        };
        const onDuty = (atMs: number) =>
          hours.layers.some((l) => atMs >= l.startsAtMs && isActiveAt(l.activeHours, row.timeZone, atMs));
        const shifts = layers.reduce((n, l) => {
          const start = Math.max(span.startMs, l.startsAtMs);
          if (start >= span.endMs) return n;
          return n + periodIndexAt(l.rotation, span.endMs - 1) - periodIndexAt(l.rotation, start) + 1;
        }, 0);
        const pages = incidents
          .filter((i) => i.serviceIds.some((s) => covers.includes(s)))
          .map((i) => ({
            detectedAtMs: i.detectedAt.getTime(),
            acknowledgedAtMs: i.acknowledgedAt?.getTime() ?? null,
            covered: onDuty(i.detectedAt.getTime()),
          }));
        return {
          row,
          covers,
          input: {
            id: row.id,
            name: row.name,
            week: rotationWeek(hours, monday),
            // only this team's services: a domain rotation covers other teams' too
            services: covers.filter((s) => teamServiceIds.includes(s)).map((s) => slugOf.get(s) ?? s),
            people: [...new Set(row.layers.flatMap((l) => l.members.map((m) => m.userId)))],
          },
          pages: rotationPages(pages, shifts),
        };
      })
      .filter((r) => !ids.serviceId || r.covers.includes(ids.serviceId));
    const serviceSlugs = team.services
      .filter((s) => !ids.serviceId || s.id === ids.serviceId)
      .map((s) => s.slug);
    if (ids.serviceId && serviceSlugs.length === 0) continue;
    const indicator = rotationsIndicator(
      rotations.map((r) => r.input),
      serviceSlugs,
    );
    out.push({
      team: team.slug,
      rotations: indicator.rotations.map((x, k) => ({
        ...x,
        timeZone: rotations[k]!.row.timeZone,
        ...rotations[k]!.pages,
      })),
      services: indicator.services.filter((s) => serviceSlugs.includes(s.service)),
      peopleOnRotations: indicator.peopleOnRotations,
      distinctPeople: indicator.distinctPeople,
    });
  }
  return { from: span.startMs, to: span.endMs, referenceWeek: monday, teams: out };
}

/** A CSV cell: quoted when needed, and a leading = + - @ made inert for spreadsheets. */
const cell = (v: string | number | null): string => {
  if (v === null) return "";
  if (typeof v === "number") return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const iso = (ms: number) => new Date(ms).toISOString();

/** The TTR trend as CSV: one line per team (and "*" for all) × period. */
export function ttrTrendCsv(r: TtrTrendResponse): string {
  const lines = ["team,period_start,period_end,incidents,mean_ttr_minutes,median_ttr_minutes,ttr_minutes"];
  for (const t of [{ team: "*", ...r.overall }, ...r.teams])
    for (const p of t.periods)
      lines.push(
        [t.team, iso(p.start), iso(p.end), p.count, p.meanMinutes, p.medianMinutes, p.ttrMinutes.join(" ")]
          .map(cell)
          .join(","),
      );
  return `${lines.join("\n")}\n`;
}

const clock = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const coverageText = (c: { days: string[]; ranges: { from: number; to: number }[] }[]) =>
  c
    .map(
      (g) =>
        `${g.days.length === 7 ? "daily" : g.days.join(" ")} ${g.ranges.map((x) => `${clock(x.from)}-${clock(x.to)}`).join(" ")}`,
    )
    .join("; ");

/** The on-call indicators as CSV: one line per team × rotation. */
export function onCallIndicatorsCsv(r: OnCallIndicatorsResponse): string {
  const lines = [
    "team,rotation,covered_utc,hours_per_week,services,people,shifts,pages,pages_per_shift,pages_outside_coverage,median_ack_minutes,unacknowledged",
  ];
  for (const t of r.teams)
    for (const x of t.rotations)
      lines.push(
        [
          t.team,
          x.name,
          coverageText(x.coverage),
          x.hoursPerWeek,
          x.services.join(" "),
          x.people,
          x.shifts,
          x.pages,
          x.pagesPerShift,
          x.outsideCoverage,
          x.medianAckMinutes,
          x.unacknowledged,
        ]
          .map(cell)
          .join(","),
      );
  return `${lines.join("\n")}\n`;
}
