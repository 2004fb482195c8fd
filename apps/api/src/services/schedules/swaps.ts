import {
  ConflictError,
  NotFoundError,
  ValidationError,
  type AcceptSwapBody,
  type CreateSwapBody,
  type DeclineSwapBody,
  type SwapResponse,
} from "@burnrate/contracts";
import type { Db, Prisma } from "@burnrate/db";
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
  asked: User | null;
  declinedBy: User | null;
  declinedAt: Date | null;
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
  colleague: s.asked ? person(s.asked) : null,
  from: s.startsAt.toISOString(),
  to: s.endsAt.toISOString(),
  state: s.state as SwapResponse["state"],
  note: s.note,
  createdAt: s.createdAt.toISOString(),
  acceptedAt: s.acceptedAt?.toISOString() ?? null,
  declinedBy: s.declinedBy ? person(s.declinedBy) : null,
  declinedAt: s.declinedAt?.toISOString() ?? null,
});
const include = { requester: true, acceptor: true, asked: true, declinedBy: true } as const;

/** Why a swap that is not open cannot be taken or declined, in plain words. */
function notOpen(swap: { state: string }): ConflictError {
  return new ConflictError(
    swap.state === "declined" ? "this swap was declined" : "this swap was already accepted",
  );
}

/** Everyone on any of the schedule's rotations. */
function rotationMembers(row: Awaited<ReturnType<typeof loadScheduleRow>>): Set<string> {
  return new Set(row.layers.flatMap((l) => l.members.map((m) => m.userId)));
}

/**
 * A member asks for someone to take their shifts between `from` and `to`: any member of the schedule's
 * rotations, or the one colleague named (then only they can accept or decline it).
 */
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
  let askedId: string | null = null;
  if (input.colleague) {
    askedId = (await usersByEmail(db, [input.colleague], "colleague"))[0]!.id;
    if (askedId === requesterId)
      throw new ValidationError("body field 'colleague': ask someone other than the requester", {
        field: "colleague",
      });
    if (!rotationMembers(row).has(askedId))
      throw new ValidationError(
        "body field 'colleague': only a member of the schedule's rotations can take a shift",
        { field: "colleague" },
      );
  }
  const created = await db.shiftSwap.create({
    data: {
      scheduleId: row.id,
      requesterId,
      askedId,
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

/** The swap of this schedule, and who answers it: the named member (by email) or else the signed-in user. */
async function loadSwapAnswer(
  deps: { db: Db; actor: Actor | null; scheduleId: string; swapId: string },
  email: string | undefined,
  field: "acceptor" | "decliner",
) {
  const { db } = deps;
  const row = await loadScheduleRow(db, deps.scheduleId);
  const teamIds = owningTeamIds(row);
  const swap = await db.shiftSwap.findFirst({ where: { id: deps.swapId, scheduleId: row.id }, include });
  if (!swap) throw new NotFoundError("swap", deps.swapId);
  const userId = email ? (await usersByEmail(db, [email], field))[0]!.id : actorUserId(deps.actor, field);
  assertCanActFor(deps.actor, userId, teamIds);
  if (swap.state !== "open") throw notOpen(swap);
  return { row, teamIds, swap, userId };
}

/** Moves an open swap to its answer, once even when two answers come at the same moment, and audits it. */
async function closeSwap(
  deps: { db: Db; actor: Actor | null },
  c: { swapId: string; teamId: string | null; action: "accept" | "decline" },
  data: Prisma.ShiftSwapUncheckedUpdateManyInput,
): Promise<SwapResponse> {
  const { db } = deps;
  const { count } = await db.shiftSwap.updateMany({ where: { id: c.swapId, state: "open" }, data });
  if (count === 0)
    throw notOpen(await db.shiftSwap.findUniqueOrThrow({ where: { id: c.swapId }, select: { state: true } }));
  const out = toResponse(await db.shiftSwap.findUniqueOrThrow({ where: { id: c.swapId }, include }));
  await recordAudit(db, {
    actor: deps.actor,
    action: c.action,
    entity: "shift_swap",
    entityId: c.swapId,
    teamId: c.teamId,
    after: out,
  });
  return out;
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
  const {
    row,
    teamIds,
    swap,
    userId: acceptorId,
  } = await loadSwapAnswer(deps, deps.input.acceptor, "acceptor");
  if (swap.endsAt.getTime() <= deps.nowMs) throw new ConflictError("this swap has ended");
  if (swap.askedId && acceptorId !== swap.askedId)
    throw new ConflictError(`this swap asks ${swap.asked!.email}: only they can accept it`);
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
  return closeSwap(
    deps,
    { swapId: swap.id, teamId: teamIds[0] ?? null, action: "accept" },
    { state: "accepted", acceptorId, acceptedAt: new Date(deps.nowMs) },
  );
}

/**
 * The colleague a swap asks by name says no: the swap is closed (`declined`) and changes nobody's shifts. A swap
 * that asks nobody by name is open to every member and cannot be declined by one of them.
 */
export async function declineSwap(deps: {
  db: Db;
  actor: Actor | null;
  scheduleId: string;
  swapId: string;
  input: DeclineSwapBody;
  nowMs: number;
}): Promise<SwapResponse> {
  const { teamIds, swap, userId: declinerId } = await loadSwapAnswer(deps, deps.input.decliner, "decliner");
  if (!swap.askedId)
    throw new ConflictError("this swap asks no one by name: it stays open for any member to take");
  if (declinerId !== swap.askedId)
    throw new ConflictError(`this swap asks ${swap.asked!.email}: only they can decline it`);
  return closeSwap(
    deps,
    { swapId: swap.id, teamId: teamIds[0] ?? null, action: "decline" },
    { state: "declined", declinedById: declinerId, declinedAt: new Date(deps.nowMs) },
  );
}
