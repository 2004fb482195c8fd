import type { PeriodsRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { useOverview, usePeriods } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { DataTable, type Column } from "../../components/data-table";
import { FilterBar } from "../../components/filter-bar";
import { fmtObjective } from "../../components/format";
import { Kpi } from "../../components/kpi";
import { DownloadLink } from "../../components/download-link";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { Empty, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { PeriodCellView } from "./period-cell";
import { columnLabel, rowTrend, summarizeColumns, type ColumnSummary } from "./summary";
import { TrendSpark } from "./trend";

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
  // the monthly report of the last whole month (UTC)
  const today = new Date();
  const lastMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 7);
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
        <DownloadLink
          path="/api/v1/reports/periods"
          params={{ ...filters, periods: n, format: "csv" }}
          file="periods.csv"
        />
        <DownloadLink
          path="/api/v1/reports/monthly.pdf"
          params={{ month: lastMonth }}
          file={`burnrate-${lastMonth}.pdf`}
          label={`Monthly PDF (${lastMonth})`}
        />
      </PageHeader>
      <p className="legend small">
        <span className="cell state-healthy">fulfilled</span> budget left at the end ·{" "}
        <span className="cell state-exhausted">broken</span> ended below 0 ·{" "}
        <span className="cell state-firing">ran out early</span> budget hit 0 before the period ended (with
        the day) · <span className="cell state-low">ran out, recovered</span> a rolling window that ran out,
        then had budget again as old bad minutes left it · <span className="cell state-no-data">no data</span>
      </p>
      <Updating query={periods} />
      <QueryState query={periods} what="periods">
        {(data) =>
          data.rows.length === 0 ? (
            <Empty title="No SLO matches">
              <p>Clear the filters, or create SLOs for this team.</p>
            </Empty>
          ) : (
            <GridWithSummary rows={data.rows} />
          )
        }
      </QueryState>
    </div>
  );
}

/** The summary above the grid (how the last complete and the current period went, and the trends), then the grid. */
function GridWithSummary({ rows }: { rows: PeriodsRow[] }) {
  const count = Math.max(...rows.map((r) => r.cells.length));
  const summary = summarizeColumns(rows, count);
  const current = summary[count - 1]!;
  const last = count > 1 ? summary[count - 2]! : null;
  const trends = rows.map((r) => rowTrend(r.cells).direction);
  const worsening = trends.filter((t) => t === "worsening").length;
  const improving = trends.filter((t) => t === "improving").length;
  return (
    <>
      <section className="kpis period-summary" aria-label="Summary">
        {last && (
          <Kpi
            label="Last complete period"
            testId="summary-last"
            value={columnLabel(last, false)}
            tone={last.broken > 0 ? "bad" : undefined}
            sub={`${last.ranOutEarly} ran out early · ${last.fulfilled} kept their budget`}
          />
        )}
        <Kpi
          label="Current period"
          testId="summary-current"
          value={columnLabel(current, true)}
          sub={`${current.ranOutEarly} already out of budget`}
        />
        <Kpi
          label="Trend"
          testId="summary-trend"
          value={`${worsening} worsening`}
          tone={worsening > 0 ? "bad" : undefined}
          sub={`${improving} improving · ${rows.length - worsening - improving} steady or too new`}
        />
        <Kpi label="SLOs broken per period" value={<BrokenBars summary={summary} />} sub="oldest → current" />
      </section>
      <DataTable
        scroll
        className="grid period-grid"
        label="SLOs by period"
        columns={periodColumns(count, summary)}
        rows={rows}
        rowKey={(r) => r.sloId}
        rowProps={() => ({ "data-testid": "po-row" })}
      />
    </>
  );
}

/** One bar per period: how many SLOs broke (of those with data); the current period's bar is hatched. */
function BrokenBars({ summary }: { summary: ColumnSummary[] }) {
  const W = 240;
  const H = 48;
  const most = Math.max(1, ...summary.map((s) => s.judged));
  const bw = W / summary.length;
  const label = summary
    .map(
      (s, i) =>
        `${i === summary.length - 1 ? "current" : `period −${summary.length - 1 - i}`}: ${columnLabel(s, i === summary.length - 1)}`,
    )
    .join("; ");
  return (
    <svg className="broken-bars" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      {summary.map((s, i) => {
        // the bars fill the space under a line for their counts
        const h = (s.broken / most) * (H - 16);
        const x = i * bw + 2;
        return (
          <g key={i}>
            <rect className="bar-bg" x={x} y={15} width={bw - 4} height={H - 16} />
            <rect
              className={i === summary.length - 1 ? "bar current" : "bar"}
              x={x}
              y={H - 1 - h}
              width={bw - 4}
              height={h}
            />
            <text className="bar-count" x={x + (bw - 4) / 2} y={11} textAnchor="middle" aria-hidden="true">
              {s.broken}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/**
 * SLO, service, window and trend, then one column per period, oldest first; the last is the current period.
 * Each period's header says how many SLOs broke in it.
 */
function periodColumns(count: number, summary: ColumnSummary[]): Column<PeriodsRow>[] {
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
    { header: "Trend", className: "trend-cell", cell: (r) => <TrendSpark trend={rowTrend(r.cells)} /> },
  ];
  const periods = Array.from({ length: count }, (_, i): Column<PeriodsRow> => ({
    key: `p${i}`,
    label: i === count - 1 ? "current" : `period −${count - 1 - i}`,
    header: (
      <>
        {i === count - 1 ? "current" : `period −${count - 1 - i}`}
        <div className="small muted col-summary" data-testid="column-summary">
          {columnLabel(summary[i]!, i === count - 1)}
        </div>
      </>
    ),
    headerClassName: "num",
    cell: (r) => r.cells[i] && <PeriodCellView c={r.cells[i]} />,
  }));
  return [...fixed, ...periods];
}
