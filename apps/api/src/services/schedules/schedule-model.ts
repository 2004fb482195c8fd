import {
  ValidationError,
  type ActiveHoursBody,
  type LayerResponse,
  type OncallPosition,
  type ScheduleResponse,
} from "@burnrate/contracts";
import { type Db, type ScheduleRow, type StoredWindow } from "@burnrate/db";
import { ACTIVE_HOURS_PRESETS, formatClock } from "@burnrate/slo-core";

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

export {
  listScheduleRows,
  loadScheduleRow,
  owningTeamIds,
  scheduleModel,
  type ScheduleRow,
} from "@burnrate/db";
