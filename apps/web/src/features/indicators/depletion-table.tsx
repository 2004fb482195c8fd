import type { DepletionRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { DataTable, type Column } from "../../components/data-table";
import { fmtPercent } from "../../components/format";
import type { DepletionSort } from "./indicators";
import { periodLabel, sloLabel, speed } from "./labels";

type Cell = Pick<Column<DepletionRow>, "cell" | "num" | "testId">;

/** Each column's label and cell, by the key it sorts on. */
const COLUMNS: [DepletionSort, string, Cell][] = [
  ["service", "Service", { cell: (r) => r.service }],
  ["sli", "SLI", { cell: (r) => r.sli }],
  ["slo", "SLO", { cell: (r) => <Link to={`/slos/${r.sloId}?region=${r.region}`}>{sloLabel(r)}</Link> }],
  ["region", "Region", { cell: (r) => r.region }],
  [
    "period",
    "Period",
    {
      cell: (r) => (
        <>
          {periodLabel(r)}
          {r.complete ? "" : " (running)"}
        </>
      ),
    },
  ],
  ["endRemaining", "Budget at end of period", { num: true, cell: (r) => fmtPercent(r.remainingAtEnd, 0) }],
  [
    "avgSpeed",
    "Average depletion speed (%/h)",
    { num: true, testId: "avg-speed", cell: (r) => speed(r.averageSpeedPercentPerHour) },
  ],
  [
    "maxSpeed",
    "Highest depletion speed (%/h)",
    { num: true, testId: "max-speed", cell: (r) => speed(r.maxSpeedPercentPerHour) },
  ],
];

/** Budgets per SLO, region and period with how fast they burned; sorted by one column, highest first. */
export function DepletionTable({
  rows,
  sort,
  onSort,
}: {
  rows: DepletionRow[];
  sort: DepletionSort;
  onSort: (s: DepletionSort) => void;
}) {
  if (rows.length === 0) return <p className="muted">No budget was spent in this window.</p>;
  return (
    <DataTable
      className="grid sortable"
      label="Error budget depletion"
      rows={rows}
      rowKey={(r) => `${r.sloId}|${r.region}|${r.period.start}`}
      rowProps={() => ({ "data-testid": "depletion-row" })}
      columns={COLUMNS.map(([key, label, c]) => ({
        key,
        header: label,
        ...c,
        sort: { dir: sort === key ? "desc" : null, onSort: () => onSort(key) },
      }))}
    />
  );
}
