import type { PeriodCell } from "@burnrate/contracts";
import { Link } from "react-router";
import { useOverview, usePeriods } from "../../api/hooks";
import { FilterBar } from "../../components/filter-bar";
import { fmtDay, fmtObjective, fmtPercent } from "../../components/format";
import { Empty, ErrorBox, Loading, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";

const PERIOD_CHOICES = [3, 6, 12];

/** Budgets by period (the product owner's view): SLOs × the last N periods, fulfilled or broken, and where the budget ran out early. */
export function PeriodsPage() {
  const { get, set } = useUrlState();
  const n = PERIOD_CHOICES.includes(Number(get("periods"))) ? Number(get("periods")) : 6;
  const filters = { team: get("team"), service: get("service"), region: get("region") };
  const choices = useOverview({});
  const periods = usePeriods({ ...filters, periods: n });
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Budgets by period</h1>
          <p className="muted">
            Which SLOs keep breaking, and which run out of budget before the period ends: candidates for
            reliability work in the next planning round.
          </p>
        </div>
        <span className="spacer" />
        <FilterBar choices={choices.data} show={["team", "service", "region"]} />
        <label>
          Periods
          <select aria-label="Periods" value={String(n)} onChange={(e) => set({ periods: e.target.value })}>
            {PERIOD_CHOICES.map((c) => (
              <option key={c} value={c}>
                last {c}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="legend small">
        <span className="cell state-healthy">fulfilled</span> budget left at the end ·{" "}
        <span className="cell state-exhausted">broken</span> ended below 0 ·{" "}
        <span className="cell state-firing">ran out early</span> budget hit 0 before the period ended (with
        the day) · <span className="cell state-no-data">no data</span>
      </p>
      <Updating query={periods} />
      {periods.isLoading ? (
        <Loading what="periods" />
      ) : periods.error ? (
        <ErrorBox what="periods" error={periods.error} />
      ) : periods.data!.rows.length === 0 ? (
        <Empty title="No SLO matches">
          <p>Clear the filters, or create SLOs for this team.</p>
        </Empty>
      ) : (
        <div className="scroll-x">
          <table className="grid period-grid" aria-label="SLOs by period">
            <thead>
              <tr>
                <th>SLO</th>
                <th>Service</th>
                <th>Window</th>
                {periods.data!.rows[0]!.cells.map((c, i) => (
                  <th key={c.start} className="num">
                    {i === periods.data!.rows[0]!.cells.length - 1
                      ? "current"
                      : `period −${periods.data!.rows[0]!.cells.length - 1 - i}`}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {periods.data!.rows.map((r) => (
                <tr key={r.sloId} data-testid="po-row">
                  <td>
                    <Link to={`/slos/${r.sloId}?range=3p`}>{r.name}</Link>
                    <div className="muted small">
                      {r.endpoint ?? "whole service"} · {fmtObjective(r.objectivePercent)}
                    </div>
                  </td>
                  <td>{r.service}</td>
                  <td className="small">{r.windowLabel}</td>
                  {r.cells.map((c) => (
                    <td key={c.start}>
                      <PeriodCellView c={c} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

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
