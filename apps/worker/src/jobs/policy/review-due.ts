/** The review date (YYYY-MM-DD) when it has come by `nowMs`, else null (no date, or not yet). */
export function reviewDueDate(nextReviewAt: Date | null, nowMs: number): string | null {
  return nextReviewAt && nextReviewAt.getTime() <= nowMs ? nextReviewAt.toISOString().slice(0, 10) : null;
}
