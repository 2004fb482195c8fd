/* ------------------------------------------------------------------------------------------------------------
 * Customer support ticket trend, book §11.2.9 (Figs 11.12, 11.13): ticket counts per service and calendar month,
 * each month's growth rate over the month before, and the average growth rate over the window. A hint about
 * perceived reliability: a growing trend warrants a look. Counts are per service (or team), never per person.
 * ---------------------------------------------------------------------------------------------------------- */

/** A month as "YYYY-MM". */
export type Month = string;

export interface TicketPoint {
  month: Month;
  count: number;
  /** (count − previous month's count) / previous month's count; null for the first month or after a month of 0 */
  growthRate: number | null;
}

export interface TicketTrend {
  points: TicketPoint[];
  total: number;
  /** Mean of the months' growth rates that are defined; null when none is */
  averageGrowthRate: number | null;
  /** up: the average growth is above zero; down: below; flat: zero; null: no growth rate defined */
  direction: "up" | "down" | "flat" | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Whether a string is a month "YYYY-MM". */
export const isMonth = (m: string): boolean => MONTH.test(m);

/** The month `n` months after `m` (n may be negative). */
export function addMonths(m: Month, n: number): Month {
  const [, y, mo] = MONTH.exec(m) ?? [];
  if (!y || !mo) throw new RangeError(`not a month: ${m}`);
  const i = Number(y) * 12 + Number(mo) - 1 + n;
  return `${String(Math.floor(i / 12)).padStart(4, "0")}-${String((i % 12) + 1).padStart(2, "0")}`;
}

/**
 * The trend over the months [from, to] (both included): a month without a count counts 0 (no tickets were
 * reported), so a window is always whole. Growth rates compare each month with the one before it in the window.
 */
export function ticketTrend(counts: { month: Month; count: number }[], from: Month, to: Month): TicketTrend {
  const byMonth = new Map<Month, number>();
  for (const c of counts) byMonth.set(c.month, (byMonth.get(c.month) ?? 0) + c.count);
  const points: TicketPoint[] = [];
  for (let m = from, guard = 0; m <= to && guard < 1200; m = addMonths(m, 1), guard++) {
    const count = byMonth.get(m) ?? 0;
    const prev = points.at(-1)?.count;
    points.push({
      month: m,
      count,
      growthRate: prev === undefined || prev === 0 ? null : (count - prev) / prev,
    });
  }
  const rates = points.map((p) => p.growthRate).filter((r): r is number => r !== null);
  const averageGrowthRate = rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null;
  return {
    points,
    total: points.reduce((a, p) => a + p.count, 0),
    averageGrowthRate,
    direction:
      averageGrowthRate === null
        ? null
        : averageGrowthRate > 0
          ? "up"
          : averageGrowthRate < 0
            ? "down"
            : "flat",
  };
}
