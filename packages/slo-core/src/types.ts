/** Good and total events over some span of time. `total - good` events are bad. */
export interface EventCounts {
  good: number;
  total: number;
}

/**
 * The period an SLO is judged over.
 * - rolling: the last `days` days up to now;
 * - calendar: `4w` (ISO weeks 1–4, 5–8, …, 49–52; week 53 joins the last), `month` or `quarter`,
 *   with boundaries at local midnight in `timeZone` (IANA name, default "UTC").
 */
export type SloWindow =
  | { type: "rolling"; days: number }
  | { type: "calendar"; period: "4w" | "month" | "quarter"; timeZone?: string };

/** OpenSLO budgeting methods. */
export type BudgetingMethod = "occurrences" | "timeslices";

/** A half-open span of time [startMs, endMs). */
export interface TimeSpan {
  startMs: number;
  endMs: number;
}
