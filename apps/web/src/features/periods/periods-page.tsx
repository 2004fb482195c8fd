import type { PeriodsRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { useOverview, usePeriods } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { DataTable, type Column } from "../../components/data-table";
import { FilterBar } from "../../components/filter-bar";
import { fmtObjective } from "../../components/format";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { Empty, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { PeriodCellView } from "./period-cell";

const PERIOD_CHOICES = [3, 6, 12];
const DEFAULT_PERIODS = 6;

/**
 * Budgets by period, the product owner's view: SLOs × the last N periods, fulfilled or broken, and where the
 * budget ran out early.
 */
export function PeriodsPage() {
  const { get, set } = useUrlState();
  const n = PERIOD_CHOICES.includes(Number(get("periods"))) ? Number(get("periods")) : DEFAULT_PERIODS;
  const filters = { team: get("team"), service: get("service"), region: get("region") };
  const choices = useOverview({});
  const periods = usePeriods({ ...filters, periods: n });
  return (
    <div className="page">
      <PageHeader
        title="Budgets by period"
        description="Which SLOs keep breaking, and which run out of budget before the period ends: candidates for reliability work in the next planning round."
      >
        <FilterBar choices={choices.data} show={["team", "service", "region"]} />
        <ChoiceSelect
          label="Periods"
          value={String(n)}
          choices={PERIOD_CHOICES.map((c) => [String(c), `last ${c}`] as const)}
          onChange={(v) => set({ periods: v })}
        />
      </PageHeader>
      <p className="legend small">
        <span className="cell state-healthy">fulfilled</span> budget left at the end ·{" "}
        <span className="cell state-exhausted">broken</span> ended below 0 ·{" "}
        <span className="cell state-firing">ran out early</span> budget hit 0 before the period ended (with
        the day) · <span className="cell state-no-data">no data</span>
      </p>
      <Updating query={periods} />
      <QueryState query={periods} what="periods">
        {(data) =>
          data.rows.length === 0 ? (
            <Empty title="No SLO matches">
              <p>Clear the filters, or create SLOs for this team.</p>
            </Empty>
          ) : (
            <DataTable
              scroll
              className="grid period-grid"
              label="SLOs by period"
              columns={periodColumns(data.rows[0]!.cells.length)}
              rows={data.rows}
              rowKey={(r) => r.sloId}
              rowProps={() => ({ "data-testid": "po-row" })}
            />
          )
        }
      </QueryState>
    </div>
  );
}

/** SLO, service and window, then one column per period, oldest first; the last is the current period. */
function periodColumns(count: number): Column<PeriodsRow>[] {
  const fixed: Column<PeriodsRow>[] = [
    {
      header: "SLO",
      cell: (r) => (
        <>
          <Link to={`/slos/${r.sloId}?range=3p`}>{r.name}</Link>
          <div className="muted small">
            {r.endpoint ?? "whole service"} · {fmtObjective(r.objectivePercent)}
          </div>
        </>
      ),
    },
    { header: "Service", cell: (r) => r.service },
    {
      header: "Window",
      className: "small",
      cell: (r) => (
        <>
          {r.windowLabel}
          {r.cells[0] && (
            <div className="muted" data-testid="time-zone">
              {r.cells[0].dates.timeZone}
            </div>
          )}
        </>
      ),
    },
  ];
  const periods = Array.from({ length: count }, (_, i): Column<PeriodsRow> => ({
    key: `p${i}`,
    header: i === count - 1 ? "current" : `period −${count - 1 - i}`,
    headerClassName: "num",
    cell: (r) => r.cells[i] && <PeriodCellView c={r.cells[i]} />,
  }));
  return [...fixed, ...periods];
}
