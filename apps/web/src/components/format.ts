export {
  formatPercent as fmtPercent,
  formatHours as fmtHours,
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
export const fmtDay = (ms: number) =>
  new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" });
/** An objective for display: 99.95% stays exact, an objective derived from a budget (97.759856…) shows 5 digits. */
export const fmtObjective = (p: number) => `${Number(p.toPrecision(5))}%`;
