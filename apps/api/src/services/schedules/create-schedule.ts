import {
  ValidationError,
  type CreateScheduleBody,
  type LayerBody,
  type ScheduleResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { createFeedToken } from "./feeds";
import { assertCanWriteSchedule } from "./schedule-access";
import { loadScheduleRow, scheduleResponse, storedActiveHours, usersByEmail } from "./schedule-model";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The first layer is the body's own rotation, hours and members; `layers` follow it. */
export function layersOf(body: {
  rotation: LayerBody["rotation"];
  activeHours?: LayerBody["activeHours"];
  members: string[];
  layers?: LayerBody[];
  name?: string;
}): (LayerBody & { field: string })[] {
  return [
    {
      name: "Rotation",
      rotation: body.rotation,
      activeHours: body.activeHours,
      members: body.members,
      field: "members",
    },
    ...(body.layers ?? []).map((l, i) => ({
      ...l,
      name: l.name ?? `Layer ${i + 2}`,
      field: `layers.${i}.members`,
    })),
  ];
}

/**
 * Active-hours windows a schedule may hold in all its layers, counted per weekday they run on (a Monday–Friday
 * window counts 5; 8x5 is 5, 16x7 is 8). Every window edge is a change point of the timeline, so this keeps a
 * year of shifts (`/shifts`, the iCal feed) bounded.
 */
export const MAX_WINDOW_DAYS_PER_SCHEDULE = 28;

/** Refuses (400) layers whose windows together run on more than MAX_WINDOW_DAYS_PER_SCHEDULE weekdays. */
export function assertWindowBudget(layers: (LayerBody & { field: string })[]): void {
  let used = 0;
  layers.forEach((l, i) => {
    used += (storedActiveHours(l.activeHours) ?? []).reduce((n, w) => n + w.days.length, 0);
    if (used <= MAX_WINDOW_DAYS_PER_SCHEDULE) return;
    const field = i === 0 ? "activeHours" : `layers.${i - 1}.activeHours`;
    throw new ValidationError(
      `body field '${field}': a schedule's active-hours windows run on at most ${MAX_WINDOW_DAYS_PER_SCHEDULE} weekdays in all its layers (a Monday–Friday window counts 5); these make ${used}`,
      { field },
    );
  });
}

/** Writes a schedule's layers and their members (replacing any it had). */
export async function writeLayers(
  db: Db,
  tx: Tx,
  scheduleId: string,
  layers: (LayerBody & { field: string })[],
) {
  const resolved = await Promise.all(layers.map((l) => usersByEmail(db, l.members, l.field)));
  await tx.scheduleLayer.deleteMany({ where: { scheduleId } });
  for (const [ord, l] of layers.entries())
    await tx.scheduleLayer.create({
      data: {
        scheduleId,
        ord,
        name: l.name ?? "Rotation",
        periodDays: l.rotation.periodDays,
        handoff: l.rotation.handoff,
        startDate: l.rotation.start,
        activeHours: storedActiveHours(l.activeHours) ?? undefined,
        members: { create: resolved[ord]!.map((u, i) => ({ ord: i, userId: u.id })) },
      },
    });
}

/** Service slugs -> ids; each must exist and, for a team or domain schedule, belong to one of its teams (422 naming the field). */
export async function coveredServiceIds(
  db: Db,
  slugs: string[] | undefined,
  teamIds: string[],
): Promise<string[]> {
  if (!slugs || slugs.length === 0) return [];
  const rows = await db.service.findMany({
    where: { slug: { in: slugs } },
    select: { id: true, slug: true, teamId: true },
  });
  return slugs.map((slug) => {
    const s = rows.find((r) => r.slug === slug);
    if (!s)
      throw new ValidationError(`body field 'services': service '${slug}' does not exist`, {
        field: "services",
      });
    if (teamIds.length > 0 && !teamIds.includes(s.teamId))
      throw new ValidationError(`body field 'services': service '${slug}' belongs to another team`, {
        field: "services",
      });
    return s.id;
  });
}

export async function createSchedule(deps: {
  db: Db;
  actor: Actor | null;
  input: CreateScheduleBody;
}): Promise<ScheduleResponse> {
  const { db, input } = deps;
  let scope: "team" | "region" | "domain";
  let teamIds: string[];
  if (input.team) {
    const team = await db.team.findUnique({ where: { slug: input.team } });
    if (!team)
      throw new ValidationError(`body field 'team': team '${input.team}' does not exist`, { field: "team" });
    scope = "team";
    teamIds = [team.id];
  } else if (input.teams) {
    const teams = await db.team.findMany({ where: { slug: { in: input.teams } } });
    const missing = input.teams.filter((s) => !teams.some((t) => t.slug === s));
    if (missing.length > 0)
      throw new ValidationError(`body field 'teams': team '${missing[0]}' does not exist`, {
        field: "teams",
      });
    if (teams.length < 2)
      throw new ValidationError("body field 'teams': a domain covers at least two different teams", {
        field: "teams",
      });
    scope = "domain";
    teamIds = teams.map((t) => t.id);
  } else {
    if (!(await db.region.findUnique({ where: { slug: input.region! } })))
      throw new ValidationError(`body field 'region': region '${input.region}' does not exist`, {
        field: "region",
      });
    scope = "region";
    teamIds = [];
  }
  assertCanWriteSchedule(deps.actor, teamIds);
  const layers = layersOf(input);
  assertWindowBudget(layers);
  const serviceIds = [...new Set(await coveredServiceIds(db, input.services, teamIds))];
  const { id, icalUrl } = await db.$transaction(async (tx) => {
    const s = await tx.schedule.create({
      data: {
        name: input.name,
        scope,
        teamId: scope === "team" ? teamIds[0]! : null,
        regionKey: scope === "region" ? input.region! : null,
        timeZone: input.timeZone,
        positions: input.positions,
        serviceIds,
        domainTeams: scope === "domain" ? { create: teamIds.map((teamId) => ({ teamId })) } : undefined,
      },
    });
    await writeLayers(db, tx, s.id, layers);
    return { id: s.id, icalUrl: await createFeedToken(tx, { scheduleId: s.id }) };
  });
  const out = scheduleResponse(await loadScheduleRow(db, id), icalUrl);
  await recordAudit(db, {
    actor: deps.actor,
    action: "create",
    entity: "schedule",
    entityId: id,
    teamId: teamIds[0] ?? null,
    after: { ...out, icalUrl: null },
  });
  return out;
}
