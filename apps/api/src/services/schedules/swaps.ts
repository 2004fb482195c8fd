import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type AcceptSwapBody,
  type CreateSwapBody,
  type SwapResponse,
} from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { listShifts } from "@burnrate/slo-core";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../audit";
import { assertNoDoubleHolding } from "./double-holding";
import { MAX_SHIFT_RANGE_MS } from "./oncall";
import { actorUserId, assertCanActFor } from "./schedule-access";
import { loadScheduleRow, owningTeamIds, scheduleModel, usersByEmail } from "./schedule-model";

type User = { id: string; email: string; name: string };
type SwapRow = {
  id: string;
  scheduleId: string;
  requester: User;
  acceptor: User | null;
  startsAt: Date;
  endsAt: Date;
  state: string;
  note: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
};

const person = (u: User) => ({ email: u.email, name: u.name });
const toResponse = (s: SwapRow): SwapResponse => ({
  id: s.id,
  scheduleId: s.scheduleId,
  requester: person(s.requester),
  acceptor: s.acceptor ? person(s.acceptor) : null,
  from: s.startsAt.toISOString(),
  to: s.endsAt.toISOString(),
  state: s.state as SwapResponse["state"],
  note: s.note,
  createdAt: s.createdAt.toISOString(),
  acceptedAt: s.acceptedAt?.toISOString() ?? null,
});
const include = { requester: true, acceptor: true } as const;

/** Everyone on any of the schedule's rotations. */
function rotationMembers(row: Awaited<ReturnType<typeof loadScheduleRow>>): Set<string> {
  return new Set(row.layers.flatMap((l) => l.members.map((m) => m.userId)));
}

/** A member asks for someone to take their shifts between `from` and `to`. */
export async function requestSwap(deps: {
  db: Db;
  actor: Actor | null;
  scheduleId: string;
  input: CreateSwapBody;
  nowMs: number;
}): Promise<SwapResponse> {
  const { db, input } = deps;
  const row = await loadScheduleRow(db, deps.scheduleId);
  const teamIds = owningTeamIds(row);
  const requesterId = input.requester
    ? (await usersByEmail(db, [input.requester], "requester"))[0]!.id
    : actorUserId(deps.actor, "requester");
  assertCanActFor(deps.actor, requesterId, teamIds);
  if (input.to.getTime() <= deps.nowMs)
    throw new ValidationError("body field 'to': a swap must end in the future", { field: "to" });
  if (input.to.getTime() - input.from.getTime() > MAX_SHIFT_RANGE_MS)
    throw new ValidationError("body field 'to': a swap spans at most 366 days", { field: "to" });
  const { model } = await scheduleModel(db, row, input.from.getTime());
  const holds = listShifts(model, input.from.getTime(), input.to.getTime()).some(
    (s) => s.member === requesterId,
  );
  if (!holds)
    throw new ValidationError("body field 'from': the requester holds no shift between 'from' and 'to'", {
      field: "from",
    });
  const created = await db.shiftSwap.create({
    data: {
      scheduleId: row.id,
      requesterId,
      startsAt: input.from,
      endsAt: input.to,
      state: "open",
      note: input.note || null,
    },
    include,
  });
  const out = toResponse(created);
  await recordAudit(db, {
    actor: deps.actor,
    action: "create",
    entity: "shift_swap",
    entityId: created.id,
    teamId: teamIds[0] ?? null,
    after: out,
  });
  return out;
}

export async function listSwaps(deps: {
  db: Db;
  scheduleId: string;
  nowMs: number;
}): Promise<SwapResponse[]> {
  const row = await loadScheduleRow(deps.db, deps.scheduleId);
  const rows = await deps.db.shiftSwap.findMany({
    where: { scheduleId: row.id, endsAt: { gt: new Date(deps.nowMs) } },
    orderBy: { startsAt: "asc" },
    include,
  });
  return rows.map(toResponse);
}

/** Another member of the schedule takes the requester's shifts; from then on they are paged instead. */
export async function acceptSwap(deps: {
  db: Db;
  actor: Actor | null;
  scheduleId: string;
  swapId: string;
  input: AcceptSwapBody;
  nowMs: number;
}): Promise<SwapResponse> {
  const { db } = deps;
  const row = await loadScheduleRow(db, deps.scheduleId);
  const teamIds = owningTeamIds(row);
  const swap = await db.shiftSwap.findFirst({ where: { id: deps.swapId, scheduleId: row.id }, include });
  if (!swap) throw new NotFoundError("swap", deps.swapId);
  const acceptorId = deps.input.acceptor
    ? (await usersByEmail(db, [deps.input.acceptor], "acceptor"))[0]!.id
    : actorUserId(deps.actor, "acceptor");
  assertCanActFor(deps.actor, acceptorId, teamIds);
  if (swap.state !== "open") throw new ConflictError("this swap was already accepted");
  if (swap.endsAt.getTime() <= deps.nowMs) throw new ConflictError("this swap has ended");
  if (acceptorId === swap.requesterId)
    throw new ValidationError("body field 'acceptor': the requester cannot accept their own swap", {
      field: "acceptor",
    });
  if (!rotationMembers(row).has(acceptorId))
    throw new ValidationError(
      "body field 'acceptor': only a member of the schedule's rotations can take a shift",
      {
        field: "acceptor",
      },
    );
  const acceptor = row.layers.flatMap((l) => l.members).find((m) => m.userId === acceptorId)!.user;
  await assertNoDoubleHolding(
    db,
    row,
    { fromMs: swap.startsAt.getTime(), toMs: swap.endsAt.getTime(), email: acceptor.email },
    (model) =>
      model.swaps.push({
        requester: swap.requesterId,
        acceptor: acceptorId,
        fromMs: swap.startsAt.getTime(),
        toMs: swap.endsAt.getTime(),
      }),
  );
  // Only an open swap is accepted, once, even when two people accept at the same moment.
  const { count } = await db.shiftSwap.updateMany({
    where: { id: swap.id, state: "open" },
    data: { state: "accepted", acceptorId, acceptedAt: new Date(deps.nowMs) },
  });
  if (count === 0) throw new ConflictError("this swap was already accepted");
  const out = toResponse(await db.shiftSwap.findUniqueOrThrow({ where: { id: swap.id }, include }));
  await recordAudit(db, {
    actor: deps.actor,
    action: "accept",
    entity: "shift_swap",
    entityId: swap.id,
    teamId: teamIds[0] ?? null,
    after: out,
  });
  return out;
}
