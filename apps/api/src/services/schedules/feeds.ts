import { ForbiddenError, NotFoundError, UnauthorizedError, type OncallPerson } from "@burnrate/contracts";
import type { Db } from "@burnrate/db";
import { DAY_MS, listShifts, type Shift } from "@burnrate/slo-core";
import ical from "ical-generator";
import { timingSafeEqual } from "node:crypto";
import { newSecret, sha256 } from "../../auth/secrets";
import type { Actor } from "../../auth/actor";
import { assertCanWriteSchedule } from "./schedule-access";
import { loadScheduleRow, owningTeamIds, scheduleModel, type ScheduleRow } from "./schedule-model";

type FeedOwner = { scheduleId: string } | { userId: string };
type Writer = Pick<Db, "calendarFeed">;

/** How far back and ahead a calendar feed lists shifts, from the start of today (UTC). */
export const FEED_PAST_MS = 14 * DAY_MS;
export const FEED_AHEAD_MS = 90 * DAY_MS;
/** The range a feed lists: whole UTC days, so that its first and last events have whole-second times. */
export function feedRange(nowMs: number): { fromMs: number; toMs: number } {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { fromMs: today - FEED_PAST_MS, toMs: today + FEED_AHEAD_MS };
}

const feedPath = (owner: FeedOwner, token: string) =>
  "scheduleId" in owner
    ? `/api/v1/schedules/${owner.scheduleId}/ical?token=${token}`
    : `/api/v1/users/${owner.userId}/ical?token=${token}`;

/** A new feed token for a schedule or a person (replacing the old one); returns the feed's path with it. */
export async function createFeedToken(db: Writer, owner: FeedOwner): Promise<string> {
  const token = newSecret("brcal");
  const where = "scheduleId" in owner ? { scheduleId: owner.scheduleId } : { userId: owner.userId };
  await db.calendarFeed.upsert({
    where,
    create: { ...where, tokenHash: sha256(token) },
    update: { tokenHash: sha256(token), createdAt: new Date() },
  });
  return feedPath(owner, token);
}

/** A token that does not match the feed's stored hash is a 401; the feed itself is never revealed. */
async function checkFeedToken(db: Db, owner: FeedOwner, token: string | undefined): Promise<void> {
  const where = "scheduleId" in owner ? { scheduleId: owner.scheduleId } : { userId: owner.userId };
  const feed = await db.calendarFeed.findUnique({ where });
  const given = Buffer.from(sha256(token ?? ""), "hex");
  const ok = !!token && !!feed && timingSafeEqual(Buffer.from(feed.tokenHash, "hex"), given);
  if (!ok) throw new UnauthorizedError("this calendar feed needs its token: ?token=… from the feed's URL");
}

const POSITION_LABEL: Record<string, string> = { main: "main", backup: "backup", backup2: "backup 2" };

function calendarText(
  name: string,
  events: { shift: Shift; schedule: ScheduleRow; person: OncallPerson }[],
): string {
  const cal = ical({ name, prodId: { company: "Burnrate", product: "on-call", language: "EN" } });
  for (const { shift, schedule, person } of events)
    cal.createEvent({
      id: `${schedule.id}-${shift.position}-${shift.startMs}@burnrate`,
      start: new Date(shift.startMs),
      end: new Date(shift.endMs),
      summary: `On call (${POSITION_LABEL[shift.position] ?? shift.position}): ${person.name} — ${schedule.name}`,
      description: `${person.email}${shift.source === "rotation" ? "" : ` (${shift.source})`}`,
    });
  return cal.toString();
}

/** The iCal text of a schedule's shifts from two weeks ago to 90 days ahead. */
export async function scheduleFeed(deps: {
  db: Db;
  id: string;
  token?: string;
  nowMs: number;
}): Promise<string> {
  await checkFeedToken(deps.db, { scheduleId: deps.id }, deps.token);
  const row = await loadScheduleRow(deps.db, deps.id);
  const { fromMs, toMs } = feedRange(deps.nowMs);
  const { model, people } = await scheduleModel(deps.db, row, fromMs);
  const shifts = listShifts(model, fromMs, toMs);
  return calendarText(
    `On call: ${row.name}`,
    shifts.map((shift) => ({
      shift,
      schedule: row,
      person: people.get(shift.member) ?? { email: "", name: "?" },
    })),
  );
}

/** The iCal text of one person's shifts in every schedule they are on. */
export async function personFeed(deps: {
  db: Db;
  userId: string;
  token?: string;
  nowMs: number;
}): Promise<string> {
  await checkFeedToken(deps.db, { userId: deps.userId }, deps.token);
  const user = await deps.db.user.findUnique({ where: { id: deps.userId } });
  if (!user) throw new NotFoundError("user", deps.userId);
  const { fromMs, toMs } = feedRange(deps.nowMs);
  const ids = await deps.db.schedule.findMany({
    where: {
      OR: [
        { layers: { some: { members: { some: { userId: user.id } } } } },
        { overrides: { some: { userId: user.id } } },
        { swaps: { some: { acceptorId: user.id } } },
      ],
    },
    select: { id: true },
  });
  const events: { shift: Shift; schedule: ScheduleRow; person: OncallPerson }[] = [];
  for (const { id } of ids) {
    const row = await loadScheduleRow(deps.db, id);
    const { model } = await scheduleModel(deps.db, row, fromMs);
    for (const shift of listShifts(model, fromMs, toMs))
      if (shift.member === user.id) events.push({ shift, schedule: row, person: user });
  }
  events.sort((a, b) => a.shift.startMs - b.shift.startMs);
  return calendarText(`On call: ${user.name}`, events);
}

/** A new token for a schedule's feed (the old one stops working). */
export async function rotateScheduleFeed(deps: {
  db: Db;
  actor: Actor | null;
  id: string;
}): Promise<{ icalUrl: string }> {
  const row = await loadScheduleRow(deps.db, deps.id);
  assertCanWriteSchedule(deps.actor, owningTeamIds(row));
  return { icalUrl: await createFeedToken(deps.db, { scheduleId: row.id }) };
}

/** A new token for the signed-in person's own feed (the old one stops working). */
export async function rotatePersonFeed(deps: { db: Db; actor: Actor | null }): Promise<{ icalUrl: string }> {
  if (deps.actor?.kind !== "user")
    throw new ForbiddenError("a personal calendar feed is for a signed-in person, not a token");
  return { icalUrl: await createFeedToken(deps.db, { userId: deps.actor.id }) };
}
