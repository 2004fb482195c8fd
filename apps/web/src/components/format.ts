export {
  formatPercent as fmtPercent,
  formatHours as fmtHours,
  formatExhaustion as fmtExhaustion,
  formatBudgetCounts as fmtBudgetCounts,
} from "@burnrate/contracts";
export const fmtBurn = (x: number | null | undefined) =>
  x === null || x === undefined ? "–" : `${x.toFixed(2)}×`;
export const fmtTime = (ms: number) =>
  new Date(ms).toLocaleString(undefined, {
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
/** A calendar date ("2026-10-01", already in the SLO's zone) as "Oct 1", whatever the viewer's zone. */
export const fmtDate = (ymd: string) =>
  new Date(`${ymd}T00:00:00Z`).toLocaleDateString("en-US", {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  });
/** A period's days in its SLO's zone: "Oct 1 – Dec 31". */
export const fmtPeriodDates = (d: { firstDay: string; lastDay: string }) =>
  `${fmtDate(d.firstDay)} – ${fmtDate(d.lastDay)}`;
/**
 * When a budget ran out, in the SLO's zone: "Dec 2 (day 63 of 92)"; with less history than a rolling window's
 * length, how much it had.
 */
export const fmtRanOut = (r: {
  exhaustedOn: string | null;
  exhaustedDay: number | null;
  dates: { days: number };
}) => (r.exhaustedOn === null ? "–" : `${fmtDate(r.exhaustedOn)} (day ${r.exhaustedDay} of ${r.dates.days})`);
/** Time from the period start (or the first data) to exhaustion: "0.6 days", "0.6 days of 2.0 days of data". */
export const fmtRanOutAfter = (r: { timeToExhaustionHours: number | null; historyDays: number | null }) =>
  r.timeToExhaustionHours === null
    ? "–"
    : `${(r.timeToExhaustionHours / 24).toFixed(1)} days` +
      (r.historyDays === null ? "" : ` into ${r.historyDays.toFixed(1)} days of data`);
export const fmtDay = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
/** An objective for display: 99.95% stays exact, an objective derived from a budget (97.759856…) shows 5 digits. */
export const fmtObjective = (p: number) => `${Number(p.toPrecision(5))}%`;
