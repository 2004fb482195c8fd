import {
  NotFoundError,
  ValidationError,
  type ActiveHoursBody,
  type LayerResponse,
  type OncallPosition,
  type OncallPerson,
  type ScheduleResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import {
  ACTIVE_HOURS_PRESETS,
  formatClock,
  parseClock,
  type OncallSchedule,
  type Rotation,
  type WeeklyWindow,
} from "@burnrate/slo-core";

/** What the database holds of an active-hours window: wall-clock strings, as the API speaks them. */
export type StoredWindow = { days: WeeklyWindow["days"]; from: string; to: string };

/** A preset name or windows from a request → what is stored (null = 24x7). */
export function storedActiveHours(body: ActiveHoursBody | undefined): StoredWindow[] | null {
  if (body === undefined) return null;
  const windows = typeof body === "string" ? ACTIVE_HOURS_PRESETS[body] : null;
  if (typeof body === "string")
    return windows === null
      ? null
      : windows.map((w) => ({
          days: [...w.days],
          from: formatClock(w.fromMinute),
          to: formatClock(w.toMinute),
        }));
  return body.map((w) => ({ days: w.days, from: w.from, to: w.to }));
}

const scheduleInclude = {
  team: true,
  domainTeams: { include: { team: true } },
  layers: {
    orderBy: { ord: "asc" as const },
    include: { members: { orderBy: { ord: "asc" as const }, include: { user: true } } },
  },
} as const;

export async function loadScheduleRow(db: Db, id: string) {
  const row = await db.schedule.findUnique({ where: { id }, include: scheduleInclude });
  if (!row) throw new NotFoundError("schedule", id);
  return row;
}
export type ScheduleRow = Awaited<ReturnType<typeof loadScheduleRow>>;

export async function listScheduleRows(db: Db, where: { teamId?: string; regionKey?: string }) {
  return db.schedule.findMany({
    where: {
      ...(where.regionKey ? { regionKey: where.regionKey } : {}),
      ...(where.teamId
        ? { OR: [{ teamId: where.teamId }, { domainTeams: { some: { teamId: where.teamId } } }] }
        : {}),
    },
    include: scheduleInclude,
    orderBy: { name: "asc" },
  });
}

/** The ids of the teams a schedule covers: its team, or its domain's teams; none for a region. */
export function owningTeamIds(row: Pick<ScheduleRow, "teamId" | "domainTeams">): string[] {
  return row.teamId ? [row.teamId] : row.domainTeams.map((d) => d.teamId);
}

function layerResponse(l: ScheduleRow["layers"][number]): LayerResponse {
  return {
    name: l.name,
    rotation: { periodDays: l.periodDays, handoff: l.handoff, start: l.startDate },
    activeHours: (l.activeHours as StoredWindow[] | null) ?? null,
    members: l.members.map((m) => ({ email: m.user.email, name: m.user.name })),
  };
}

export function scheduleResponse(row: ScheduleRow, icalUrl: string | null = null): ScheduleResponse {
  const layers = row.layers.map(layerResponse);
  const first = layers[0]!;
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as ScheduleResponse["scope"],
    team: row.team?.slug ?? null,
    region: row.regionKey,
    teams: row.team ? [row.team.slug] : row.domainTeams.map((d) => d.team.slug).sort(),
    timeZone: row.timeZone,
    rotation: first.rotation,
    activeHours: first.activeHours,
    positions: row.positions as OncallPosition[],
    members: first.members,
    layers,
    icalUrl,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toRotation(timeZone: string, l: ScheduleRow["layers"][number]): Rotation {
  const [year, month, day] = l.startDate.split("-").map(Number) as [number, number, number];
  const windows = l.activeHours as StoredWindow[] | null;
  return {
    timeZone,
    periodDays: l.periodDays,
    handoffMinute: parseClock(l.handoff) ?? 0,
    start: { year, month, day },
    members: l.members.map((m) => m.userId),
    activeHours:
      windows?.map((w) => ({
        days: w.days,
        fromMinute: parseClock(w.from) ?? 0,
        toMinute: parseClock(w.to) ?? 0,
      })) ?? null,
  };
}

/**
 * The schedule as slo-core computes it (members named by user id), with its overrides (oldest first, so the
 * latest wins) and accepted swaps that end after `sinceMs`, and the people it names.
 */
export async function scheduleModel(
  db: Db,
  row: ScheduleRow,
  sinceMs: number,
): Promise<{ model: OncallSchedule; people: Map<string, OncallPerson> }> {
  const since = new Date(sinceMs);
  const [overrides, swaps] = await Promise.all([
    db.scheduleOverride.findMany({
      where: { scheduleId: row.id, endsAt: { gt: since } },
      orderBy: { createdAt: "asc" },
      include: { user: true },
    }),
    db.shiftSwap.findMany({
      where: { scheduleId: row.id, state: "accepted", endsAt: { gt: since } },
      orderBy: { acceptedAt: "asc" },
      include: { requester: true, acceptor: true },
    }),
  ]);
  const people = new Map<string, OncallPerson>();
  const note = (u: { id: string; email: string; name: string } | null) => {
    if (u) people.set(u.id, { email: u.email, name: u.name });
  };
  for (const l of row.layers) for (const m of l.members) note(m.user);
  for (const o of overrides) note(o.user);
  for (const s of swaps) {
    note(s.requester);
    note(s.acceptor);
  }
  return {
    people,
    model: {
      positions: row.positions as OncallPosition[],
      layers: row.layers.map((l) => toRotation(row.timeZone, l)),
      overrides: overrides.map((o) => ({
        position: o.position as OncallPosition,
        member: o.userId,
        fromMs: o.startsAt.getTime(),
        toMs: o.endsAt.getTime(),
      })),
      swaps: swaps.map((s) => ({
        requester: s.requesterId,
        acceptor: s.acceptorId!,
        fromMs: s.startsAt.getTime(),
        toMs: s.endsAt.getTime(),
      })),
    },
  };
}

/** Users named by email in a request, in the same order; an unknown email is a 422 naming the field. */
export async function usersByEmail(
  db: Db,
  emails: string[],
  field: string,
): Promise<{ id: string; email: string; name: string }[]> {
  const rows = await db.user.findMany({ where: { email: { in: emails, mode: "insensitive" } } });
  return emails.map((e) => {
    const u = rows.find((r) => r.email.toLowerCase() === e.toLowerCase());
    if (!u) throw new ValidationError(`body field '${field}': no user with email '${e}'`, { field });
    return u;
  });
}
