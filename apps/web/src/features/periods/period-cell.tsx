import { periodOutcome, type PeriodCell } from "@burnrate/contracts";
import { fmtPercent, fmtPeriodDates, fmtRanOut } from "../../components/format";

/**
 * One SLO's period: fulfilled, broken, or ran out early (with the day, and whether it recovered), and its dates,
 * all in the SLO's own time zone.
 */
export function PeriodCellView({ c }: { c: PeriodCell }) {
  const span = fmtPeriodDates(c.dates);
  const title = `${span} (${c.dates.timeZone}, ${c.dates.days} days)`;
  if (c.adherence === null)
    return (
      <div className="cell state-no-data" data-testid="period-cell" title={title}>
        <span className="cell-value">no data</span>
        <span className="cell-state">{span}</span>
      </div>
    );
  // A rolling window can run out and then recover as its oldest bad minutes leave it: fulfilled in the end, but
  // it ran out on the way, so neither the healthy nor the broken colour.
  const recovered = periodOutcome(c) === "ran out, recovered";
  const cls = recovered
    ? "state-low"
    : c.exhausted
      ? "state-firing"
      : c.adherence === "broken"
        ? "state-exhausted"
        : "state-healthy";
  return (
    <div className={`cell ${cls}`} data-testid="period-cell" title={title}>
      <span className="cell-value">
        {c.adherence}
        {!c.complete ? " so far" : ""}
      </span>
      <span className="cell-state">{fmtPercent(c.remainingAtEnd, 0)} left</span>
      {c.exhausted && c.exhaustedOn !== null && (
        <span className="cell-state" data-testid="ran-out">
          ran out {fmtRanOut(c)}
          {recovered ? ", recovered" : ""}
        </span>
      )}
      {c.historyDays !== null && (
        <span className="cell-state muted" data-testid="history">
          {c.historyDays.toFixed(1)} days of data
        </span>
      )}
      <span className="cell-state muted">{span}</span>
    </div>
  );
}
