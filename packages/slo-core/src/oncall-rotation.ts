import { isActiveAt, type ActiveHours } from "./oncall-active-hours.js";
import { dateOfDayNumber, dayNumber, zonedParts, zonedTimeToUtc } from "./time-zone.js";

/**
 * One rotation (a layer of a schedule): members take the positions in turn, one rotation period at a time.
 * Periods start at the hand-off time, local to `timeZone`, every `periodDays` calendar days from `start`;
 * across a DST change a period is an hour shorter or longer, and the hand-off stays at the same wall time.
 * A hand-off at a wall time the clock skips moves on by the skipped hour (02:30 → 03:30); one at a time the
 * clock shows twice happens the first time.
 */
export interface Rotation {
  timeZone: string;
  periodDays: number;
  /** Minutes after local midnight. */
  handoffMinute: number;
  /** The local date of the first hand-off. */
  start: { year: number; month: number; day: number };
  /** Ordered members; the first holds the first position in the first period. */
  members: string[];
  activeHours: ActiveHours;
}

/**
 * Period starts already computed, per rotation shape (zone, length, hand-off, first day): each costs a few
 * time-zone conversions, and a timeline or a calendar feed asks for the same few periods hundreds of times.
 * Keyed by value, not by object, so a rotation changed in place is never answered from its old shape.
 */
const startCache = new Map<string, Map<number, number>>();
const START_CACHE_LIMIT = 10_000;
let startCacheSize = 0;

/** The instant period `index` (0 = the first) starts. */
export function periodStartMs(r: Rotation, index: number): number {
  const key = `${r.timeZone}|${r.periodDays}|${r.handoffMinute}|${r.start.year}-${r.start.month}-${r.start.day}`;
  let starts = startCache.get(key);
  if (!starts) {
    if (startCacheSize >= START_CACHE_LIMIT) {
      startCache.clear();
      startCacheSize = 0;
    }
    starts = new Map();
    startCache.set(key, starts);
  }
  let at = starts.get(index);
  if (at === undefined) {
    at = computePeriodStartMs(r, index);
    starts.set(index, at);
    startCacheSize++;
  }
  return at;
}

function computePeriodStartMs(r: Rotation, index: number): number {
  const day = dayNumber(r.start.year, r.start.month, r.start.day) + index * r.periodDays;
  const date = dateOfDayNumber(day);
  return zonedTimeToUtc(
    { ...date, hour: Math.floor(r.handoffMinute / 60), minute: r.handoffMinute % 60 },
    r.timeZone,
  );
}

/** The period that holds `atMs` (negative before the rotation starts). */
export function periodIndexAt(r: Rotation, atMs: number): number {
  const p = zonedParts(atMs, r.timeZone);
  const elapsedDays = dayNumber(p.year, p.month, p.day) - dayNumber(r.start.year, r.start.month, r.start.day);
  let index = Math.floor(elapsedDays / r.periodDays);
  // The local date alone cannot tell whether the hand-off of that day has passed: compare instants.
  while (periodStartMs(r, index) > atMs) index--;
  while (periodStartMs(r, index + 1) <= atMs) index++;
  return index;
}

/**
 * Who holds position `positionIndex` in period `periodIndex`: round-robin, the book's Tables 7.3–7.6.
 * Each period every member moves up one position (backup 1 becomes main, backup 2 becomes backup 1, main
 * becomes backup 2), so with members [A, B, C] the main is A, B, C, A… and backup 1 is B, C, A, B…
 */
export function rotationHolder(
  members: readonly string[],
  periodIndex: number,
  positionIndex: number,
): string {
  const n = members.length;
  return members[(((periodIndex + positionIndex) % n) + n) % n]!;
}

/** Whether the rotation is on duty at `atMs`: started, and inside its active hours. */
export function rotationActiveAt(r: Rotation, atMs: number): boolean {
  return atMs >= periodStartMs(r, 0) && isActiveAt(r.activeHours, r.timeZone, atMs);
}
