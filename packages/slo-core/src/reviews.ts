/**
 * SLO reviews (book: each SLO is reviewed on a cadence, quarterly by default): when the next review of an SLO
 * is due, and whether it is overdue or coming up. A review keeps the objective, or tightens or loosens it.
 */

export const REVIEW_OUTCOMES = ["keep", "tighten", "loosen"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** The default cadence: a quarter. */
export const DEFAULT_REVIEW_EVERY_DAYS = 91;
/** A review due within this many days is listed as coming up. */
export const REVIEW_AHEAD_DAYS = 28;

const DAY_MS = 24 * 60 * 60 * 1000;

export type ReviewState = "ok" | "due" | "overdue";

export interface SloReviewDue {
  /** The instant the next review is due: the last review (or, never reviewed, the SLO's creation) + cadence */
  dueAtMs: number;
  state: ReviewState;
  /** Whole days until due (negative: days overdue) */
  daysLeft: number;
}

/**
 * When an SLO's next review is due at `nowMs`: `everyDays` after its last review, or after its creation when it
 * was never reviewed. Past that instant it is overdue; within `aheadDays` of it, due.
 */
export function sloReviewDue(
  input: { createdAtMs: number; lastReviewedAtMs: number | null; everyDays: number },
  nowMs: number,
  aheadDays = REVIEW_AHEAD_DAYS,
): SloReviewDue {
  const from = input.lastReviewedAtMs ?? input.createdAtMs;
  const dueAtMs = from + input.everyDays * DAY_MS;
  const state: ReviewState =
    dueAtMs < nowMs ? "overdue" : dueAtMs < nowMs + aheadDays * DAY_MS ? "due" : "ok";
  return { dueAtMs, state, daysLeft: Math.floor((dueAtMs - nowMs) / DAY_MS) };
}

/**
 * The objective a review sets: "keep" leaves it as it is; "tighten" must raise it and "loosen" lower it.
 * Returns an error message naming what is wrong, or null when the pair is consistent.
 */
export function reviewObjectiveProblem(
  outcome: ReviewOutcome,
  current: number,
  next: number | undefined,
): string | null {
  if (outcome === "keep")
    return next === undefined || next === current ? null : "a 'keep' review does not change the objective";
  if (next === undefined) return `a '${outcome}' review needs the new objectivePercent`;
  if (outcome === "tighten" && !(next > current))
    return `tightening must raise the objective above ${current}%`;
  if (outcome === "loosen" && !(next < current))
    return `loosening must lower the objective below ${current}%`;
  return null;
}

/**
 * Whether a team reviews its SLOs on time: it has SLOs, at least one was reviewed, and none is overdue.
 */
export function slosReviewedOnTime(states: { reviewed: boolean; state: ReviewState }[]): boolean {
  return states.length > 0 && states.some((s) => s.reviewed) && states.every((s) => s.state !== "overdue");
}
