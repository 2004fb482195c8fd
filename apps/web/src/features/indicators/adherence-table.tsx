import type { DepletionRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { DataTable, type Column } from "../../components/data-table";
import { StatusBadge } from "../../components/status-badge";
import { adherenceMatrix } from "./indicators";
import { periodLabel } from "./labels";

type AdherenceRow = ReturnType<typeof adherenceMatrix>["rows"][number];

/** SLO × region against their last periods, fulfilled or broken; the last column is each one's latest period. */
export function AdherenceTable({ rows }: { rows: DepletionRow[] }) {
  const m = adherenceMatrix(rows);
  if (m.rows.length === 0) return <p className="muted">No period with data in this window.</p>;
  const periods = Array.from({ length: m.columns }, (_, i): Column<AdherenceRow> => ({
    key: `p${i}`,
    header: i === m.columns - 1 ? "latest period" : `period −${m.columns - 1 - i}`,
    cell: (r) => <AdherenceCell c={r.cells[i] ?? null} />,
  }));
  return (
    <DataTable
      scroll
      label="SLO adherence"
      rows={m.rows}
      rowKey={(r) => r.key}
      rowProps={() => ({ "data-testid": "adherence-row" })}
      columns={[
        { header: "SLI", cell: (r) => r.sli },
        {
          header: "SLO",
          className: "nowrap",
          cell: (r) => <Link to={`/slos/${r.sloId}?region=${r.region}&range=3p`}>{r.label}</Link>,
        },
        { header: "Region", cell: (r) => r.region },
        ...periods,
      ]}
    />
  );
}

function AdherenceCell({ c }: { c: DepletionRow | null }) {
  if (!c) return <span className="muted">–</span>;
  return (
    <>
      <StatusBadge tone={c.adherence === "broken" ? "exhausted" : "healthy"}>
        {c.adherence === "broken" ? "Broken" : "Fulfilled"}
        {c.complete ? "" : " so far"}
      </StatusBadge>
      <div className="muted small">{periodLabel(c)}</div>
    </>
  );
}
