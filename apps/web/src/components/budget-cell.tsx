import type { OverviewRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { fmtPercent } from "./format";

export const STATE_LABEL: Record<OverviewRow["state"], string> = {
  firing: "firing",
  exhausted: "exhausted",
  low: "low budget",
  healthy: "healthy",
  "no-data": "no data",
};

/** A budget-left cell coloured by state, linking to the SLO page for that region. */
export function BudgetCell({ row, label }: { row: OverviewRow; label?: string }) {
  const to = `/slos/${row.sloId}${row.region ? `?region=${encodeURIComponent(row.region)}` : ""}`;
  return (
    <Link to={to} className={`cell state-${row.state}`} data-testid="budget-cell">
      {/* what a screen reader says: "<SLO> in <region>: <x>% budget left, <state>", around what is seen */}
      <span className="sr-only">
        {row.name}
        {row.region ? ` in ${row.region}` : ""}:{" "}
      </span>
      {label && <span className="cell-label">{label}</span>}
      <span className="cell-value">
        {row.remainingFraction === null ? "–" : fmtPercent(row.remainingFraction, 1)}
      </span>
      <span className="sr-only">{row.remainingFraction === null ? " (no data), " : " budget left, "}</span>
      <span className="cell-state">{STATE_LABEL[row.state]}</span>
    </Link>
  );
}
