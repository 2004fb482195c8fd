import type { SlaStatusResponse } from "@burnrate/contracts";

/** Steps of the budget axis (%), the smallest that keeps it to at most MAX_TICKS ticks. */
const STEPS = [25, 50, 100, 250, 500, 1000];
const MAX_TICKS = 9;

/**
 * The budget axis of the SLA depletion chart: from 100% down to 0%, or to the lowest point of any curve
 * rounded down to a step, with ticks on the steps.
 */
export function budgetAxis(status: SlaStatusResponse): { domain: [number, number]; ticks: number[] } {
  const lowest = Math.min(
    0,
    ...[status.contractual, ...status.children].flatMap((r) =>
      r.periods.flatMap((p) => p.curve.map((c) => c.remaining * 100)),
    ),
  );
  const step =
    STEPS.find((s) => (100 - Math.floor(lowest / s) * s) / s + 1 <= MAX_TICKS) ?? STEPS[STEPS.length - 1]!;
  const lo = Math.floor(lowest / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= 100; t += step) ticks.push(t);
  if (ticks[ticks.length - 1] !== 100) ticks.push(100);
  return { domain: [lo, 100], ticks };
}

/**
 * The points of one SLA's line: every period's curve in order, in percent. A period without data is a gap (a
 * null point), never a line at 100%: nothing was measured there.
 */
export function curvePoints(row: SlaStatusResponse["contractual"]): { t: number; v: number | null }[] {
  return row.periods.flatMap((p): { t: number; v: number | null }[] =>
    p.remainingAtEnd === null
      ? [{ t: p.start, v: null }]
      : p.curve.map((c) => ({ t: c.t, v: c.remaining * 100 })),
  );
}
