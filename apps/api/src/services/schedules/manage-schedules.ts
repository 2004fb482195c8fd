import {
  NotFoundError,
  ValidationError,
  type PatchScheduleBody,
  type ScheduleResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { assertWindowBudget, coveredServiceIds, layersOf, writeLayers } from "./create-schedule";
import { assertCanWriteSchedule } from "./schedule-access";
import { listScheduleRows, loadScheduleRow, owningTeamIds, scheduleResponse } from "./schedule-model";

export async function getSchedule(deps: { db: Db; id: string }): Promise<ScheduleResponse> {
  return scheduleResponse(await loadScheduleRow(deps.db, deps.id));
}

export async function listSchedules(deps: {
  db: Db;
  team?: string;
  region?: string;
}): Promise<ScheduleResponse[]> {
  let teamId: string | undefined;
  if (deps.team) {
    const team = await deps.db.team.findUnique({ where: { slug: deps.team } });
    if (!team) throw new NotFoundError("team", deps.team);
    teamId = team.id;
  }
  const rows = await listScheduleRows(deps.db, { teamId, regionKey: deps.region });
  return rows.map((r) => scheduleResponse(r));
}

/**
 * Changes a schedule; rotation, hours and members replace the first layer's, `layers` replaces the others.
 * The row is read and written in one transaction holding its lock: two edits at once apply one after the
 * other, the second on top of the first (neither is lost).
 */
export async function patchSchedule(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
  input: PatchScheduleBody;
}): Promise<ScheduleResponse> {
  const { db, input } = deps;
  const { row, before, after } = await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM schedules WHERE id = ${deps.id}::uuid FOR UPDATE`;
      const row = await loadScheduleRow(tx, deps.id);
      assertCanWriteSchedule(deps.actor, owningTeamIds(row));
      const before = scheduleResponse(row);
      const positions = input.positions ?? before.positions;
      const first = before.layers[0]!;
      const asBody = (l: (typeof before.layers)[number]) => ({
        name: l.name,
        rotation: l.rotation,
        activeHours: l.activeHours ?? undefined,
        members: l.members.map((m) => m.email),
      });
      const layers = layersOf({
        rotation: input.rotation ?? first.rotation,
        activeHours: input.activeHours ?? first.activeHours ?? undefined,
        members: input.members ?? first.members.map((m) => m.email),
        layers: input.layers ?? before.layers.slice(1).map(asBody),
      });
      layers[0]!.name = first.name;
      assertWindowBudget(layers);
      for (const l of layers)
        if (l.members.length < positions.length)
          throw new ValidationError(
            `body field '${l.field}': ${positions.length} positions need at least ${positions.length} members`,
            { field: l.field },
          );
      await tx.schedule.update({
        where: { id: row.id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.timeZone !== undefined ? { timeZone: input.timeZone } : {}),
          positions,
          ...(input.services !== undefined
            ? { serviceIds: [...new Set(await coveredServiceIds(db, input.services, owningTeamIds(row)))] }
            : {}),
        },
      });
      await writeLayers(db, tx, row.id, layers);
      return { row, before, after: scheduleResponse(await loadScheduleRow(tx, row.id)) };
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
  await recordAudit(db, {
    actor: deps.actor,
    action: "update",
    entity: "schedule",
    entityId: row.id,
    teamId: owningTeamIds(row)[0] ?? null,
    before,
    after,
  });
  return after;
}

export async function deleteSchedule(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
}): Promise<ScheduleResponse> {
  const row = await loadScheduleRow(deps.db, deps.id);
  assertCanWriteSchedule(deps.actor, owningTeamIds(row));
  const out = scheduleResponse(row);
  await deps.db.schedule.delete({ where: { id: row.id } });
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "delete",
    entity: "schedule",
    entityId: row.id,
    teamId: owningTeamIds(row)[0] ?? null,
    before: out,
  });
  return out;
}
