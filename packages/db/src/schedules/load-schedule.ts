import { NotFoundError, type OncallPerson, type OncallPosition } from "@burnrate/contracts";
import { parseClock, type OncallSchedule, type Rotation, type WeeklyWindow } from "@burnrate/slo-core";
import type { Db } from "../client";

/** What the database holds of an active-hours window: wall-clock strings, as the API speaks them. */
export type StoredWindow = { days: WeeklyWindow["days"]; from: string; to: string };

const scheduleInclude = {
  team: true,
  domainTeams: { include: { team: true } },
  layers: {
    orderBy: { ord: "asc" as const },
    include: { members: { orderBy: { ord: "asc" as const }, include: { user: true } } },
  },
} as const;

/** A schedule with its teams and layers; `db` may be a transaction's client. */
export async function loadScheduleRow(db: Pick<Db, "schedule">, id: string) {
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

type OncallModel = { model: OncallSchedule; people: Map<string, OncallPerson> };

/**
 * The schedule as slo-core computes it (members named by user id), with its overrides (oldest first, so the
 * latest wins) and accepted swaps that end after `sinceMs`, and the people it names.
 */
export async function scheduleModel(db: Db, row: ScheduleRow, sinceMs: number): Promise<OncallModel> {
  return (await scheduleModels(db, [row], sinceMs)).get(row.id)!;
}

/**
 * `scheduleModel` of many schedules at once, by schedule id: two queries whatever their number (their
 * overrides, their accepted swaps), for jobs that look at every schedule.
 */
export async function scheduleModels(
  db: Db,
  rows: ScheduleRow[],
  sinceMs: number,
): Promise<Map<string, OncallModel>> {
  const out = new Map<string, OncallModel>();
  if (rows.length === 0) return out;
  const since = new Date(sinceMs);
  const ids = rows.map((r) => r.id);
  const [overrides, swaps] = await Promise.all([
    db.scheduleOverride.findMany({
      where: { scheduleId: { in: ids }, endsAt: { gt: since } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      include: { user: true },
    }),
    db.shiftSwap.findMany({
      where: { scheduleId: { in: ids }, state: "accepted", endsAt: { gt: since } },
      orderBy: [{ acceptedAt: "asc" }, { id: "asc" }],
      include: { requester: true, acceptor: true },
    }),
  ]);
  for (const row of rows) {
    const own = overrides.filter((o) => o.scheduleId === row.id);
    const ownSwaps = swaps.filter((s) => s.scheduleId === row.id);
    const people = new Map<string, OncallPerson>();
    const note = (u: { id: string; email: string; name: string } | null) => {
      if (u) people.set(u.id, { email: u.email, name: u.name });
    };
    for (const l of row.layers) for (const m of l.members) note(m.user);
    for (const o of own) note(o.user);
    for (const s of ownSwaps) {
      note(s.requester);
      note(s.acceptor);
    }
    out.set(row.id, {
      people,
      model: {
        positions: row.positions as OncallPosition[],
        layers: row.layers.map((l) => toRotation(row.timeZone, l)),
        overrides: own.map((o) => ({
          position: o.position as OncallPosition,
          member: o.userId,
          fromMs: o.startsAt.getTime(),
          toMs: o.endsAt.getTime(),
        })),
        swaps: ownSwaps.map((s) => ({
          requester: s.requesterId,
          acceptor: s.acceptorId!,
          fromMs: s.startsAt.getTime(),
          toMs: s.endsAt.getTime(),
        })),
      },
    });
  }
  return out;
}
