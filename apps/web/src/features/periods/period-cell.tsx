import type { PeriodCell } from "@burnrate/contracts";
import { fmtDay, fmtPercent } from "../../components/format";

/** One SLO's period: fulfilled, broken, or ran out early (with the day), and its dates. */
export function PeriodCellView({ c }: { c: PeriodCell }) {
  const span = `${fmtDay(c.start)} – ${fmtDay(c.end - 1)}`;
  if (c.adherence === null)
    return (
      <div className="cell state-no-data" data-testid="period-cell" title={span}>
        <span className="cell-value">no data</span>
        <span className="cell-state">{span}</span>
      </div>
    );
  const cls = c.exhausted ? "state-firing" : c.adherence === "broken" ? "state-exhausted" : "state-healthy";
  return (
    <div className={`cell ${cls}`} data-testid="period-cell" title={span}>
      <span className="cell-value">
        {c.adherence}
        {!c.complete ? " so far" : ""}
      </span>
      <span className="cell-state">{fmtPercent(c.remainingAtEnd, 0)} left</span>
      {c.exhausted && c.exhaustedAt !== null && (
        <span className="cell-state" data-testid="ran-out">
          ran out {fmtDay(c.exhaustedAt)} (day {Math.floor((c.timeToExhaustionHours ?? 0) / 24) + 1})
        </span>
      )}
      <span className="cell-state muted">{span}</span>
    </div>
  );
}
