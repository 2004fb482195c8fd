import {
  NotFoundError,
  ValidationError,
  type CreateOncallOverrideBody,
  type OncallPosition,
  type OncallOverrideResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { actorLabel, type Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { assertNoDoubleHolding } from "./double-holding";
import { MAX_SHIFT_RANGE_MS } from "./oncall";
import { assertCanWriteSchedule } from "./schedule-access";
import { loadScheduleRow, owningTeamIds, usersByEmail } from "./schedule-model";

type OverrideRow = {
  id: string;
  scheduleId: string;
  position: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
  author: string;
  createdAt: Date;
  user: { email: string; name: string };
};

const toResponse = (o: OverrideRow): OncallOverrideResponse => ({
  id: o.id,
  scheduleId: o.scheduleId,
  position: o.position as OncallPosition,
  email: o.user.email,
  name: o.user.name,
  from: o.startsAt.toISOString(),
  to: o.endsAt.toISOString(),
  reason: o.reason,
  author: o.author,
  createdAt: o.createdAt.toISOString(),
});

/** Someone holds a position of the schedule instead of the rotation's member, from `from` to `to`. */
export async function createOverride(deps: {
  db: Db;
  actor: Actor | null;
  scheduleId: string;
  input: CreateOncallOverrideBody;
  nowMs: number;
}): Promise<OncallOverrideResponse> {
  const { db, input } = deps;
  const row = await loadScheduleRow(db, deps.scheduleId);
  const teamIds = owningTeamIds(row);
  assertCanWriteSchedule(deps.actor, teamIds);
  if (!row.positions.includes(input.position))
    throw new ValidationError(`body field 'position': this schedule has only ${row.positions.join(", ")}`, {
      field: "position",
    });
  if (input.to.getTime() <= deps.nowMs)
    throw new ValidationError("body field 'to': an override must end in the future", { field: "to" });
  if (input.to.getTime() - input.from.getTime() > MAX_SHIFT_RANGE_MS)
    throw new ValidationError("body field 'to': an override lasts at most 366 days", { field: "to" });
  const [user] = await usersByEmail(db, [input.email], "email");
  await assertNoDoubleHolding(
    db,
    row,
    { fromMs: input.from.getTime(), toMs: input.to.getTime(), email: user!.email },
    (model) =>
      model.overrides.push({
        position: input.position,
        member: user!.id,
        fromMs: input.from.getTime(),
        toMs: input.to.getTime(),
      }),
  );
  const created = await db.scheduleOverride.create({
    data: {
      scheduleId: row.id,
      position: input.position,
      userId: user!.id,
      startsAt: input.from,
      endsAt: input.to,
      reason: input.reason || null,
      author: actorLabel(deps.actor),
    },
    include: { user: true },
  });
  const out = toResponse(created);
  await recordAudit(db, {
    actor: deps.actor,
    action: "create",
    entity: "schedule_override",
    entityId: created.id,
    teamId: teamIds[0] ?? null,
    after: out,
  });
  return out;
}

/** Overrides that end after `fromMs`, oldest first (a later one wins where they overlap). */
export async function listOverrides(deps: {
  db: Db;
  scheduleId: string;
  fromMs: number;
}): Promise<OncallOverrideResponse[]> {
  const row = await loadScheduleRow(deps.db, deps.scheduleId);
  const rows = await deps.db.scheduleOverride.findMany({
    where: { scheduleId: row.id, endsAt: { gt: new Date(deps.fromMs) } },
    orderBy: { createdAt: "asc" },
    include: { user: true },
  });
  return rows.map(toResponse);
}

export async function deleteOverride(deps: {
  db: Db;
  actor: Actor | null;
  scheduleId: string;
  overrideId: string;
}): Promise<OncallOverrideResponse> {
  const row = await loadScheduleRow(deps.db, deps.scheduleId);
  const teamIds = owningTeamIds(row);
  assertCanWriteSchedule(deps.actor, teamIds);
  const o = await deps.db.scheduleOverride.findFirst({
    where: { id: deps.overrideId, scheduleId: row.id },
    include: { user: true },
  });
  if (!o) throw new NotFoundError("override", deps.overrideId);
  await deps.db.scheduleOverride.delete({ where: { id: o.id } });
  const out = toResponse(o);
  await recordAudit(deps.db, {
    actor: deps.actor,
    action: "delete",
    entity: "schedule_override",
    entityId: o.id,
    teamId: teamIds[0] ?? null,
    before: out,
  });
  return out;
}
