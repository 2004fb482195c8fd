import type { PeriodCell, PeriodsRow } from "@burnrate/contracts";

/** How one period column of the grid went: SLOs that kept their budget, broke it, ran out early, or had no data. */
export interface ColumnSummary {
  fulfilled: number;
  broken: number;
  ranOutEarly: number;
  noData: number;
  /** SLOs with data in this period */
  judged: number;
}

/** One summary per period column (oldest first, the current one last), counted over the rows. */
export function summarizeColumns(rows: PeriodsRow[], columns: number): ColumnSummary[] {
  return Array.from({ length: columns }, (_, i) => {
    const s: ColumnSummary = { fulfilled: 0, broken: 0, ranOutEarly: 0, noData: 0, judged: 0 };
    for (const r of rows) {
      const c = r.cells[i];
      if (!c || c.adherence === null) {
        s.noData++;
        continue;
      }
      s.judged++;
      if (c.adherence === "broken") s.broken++;
      else s.fulfilled++;
      if (c.exhausted) s.ranOutEarly++;
    }
    return s;
  });
}

export type TrendDirection = "improving" | "worsening" | "steady" | "unknown";

/** Budget left at the end of each period, oldest first (null without data), and which way it is going. */
export interface Trend {
  points: (number | null)[];
  direction: TrendDirection;
}

/** Budget left changing by less than this (5 points of budget) between periods is steady. */
export const STEADY_BAND = 0.05;

/**
 * A row's trend: the budget left at the end of the last complete period against the complete one before it
 * (the running period is drawn, but its "so far" does not decide the direction).
 */
export function rowTrend(cells: PeriodCell[]): Trend {
  const points = cells.map((c) => c.remainingAtEnd);
  const complete = cells.filter((c) => c.complete && c.remainingAtEnd !== null).map((c) => c.remainingAtEnd!);
  if (complete.length < 2) return { points, direction: "unknown" };
  const delta = complete[complete.length - 1]! - complete[complete.length - 2]!;
  const direction = Math.abs(delta) < STEADY_BAND ? "steady" : delta > 0 ? "improving" : "worsening";
  return { points, direction };
}

/** "3 of 7 broke" (complete periods) or "3 of 7 broken so far" (the current one). */
export function columnLabel(s: ColumnSummary, current: boolean): string {
  if (s.judged === 0) return "no data";
  return `${s.broken} of ${s.judged} ${current ? "broken so far" : "broke"}`;
}
