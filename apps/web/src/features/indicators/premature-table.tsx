import type { DepletionRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { DataTable } from "../../components/data-table";
import { fmtPercent, fmtRanOut, fmtRanOutAfter } from "../../components/format";
import { periodLabel, sloLabel } from "./labels";

/** Budgets that ran out before their period ended: when, and after how long. */
export function PrematureTable({ rows }: { rows: DepletionRow[] }) {
  if (rows.length === 0)
    return <p className="muted">No budget ran out before its period ended in this window.</p>;
  return (
    <DataTable
      label="Premature budget exhaustion"
      rows={rows}
      rowKey={(r) => `${r.sloId}|${r.region}|${r.period.start}`}
      columns={[
        { header: "Service", cell: (r) => r.service },
        {
          header: "SLO",
          cell: (r) => <Link to={`/slos/${r.sloId}?region=${r.region}&range=3p`}>{sloLabel(r)}</Link>,
        },
        { header: "Region", cell: (r) => r.region },
        { header: "Period", cell: (r) => periodLabel(r) },
        { header: "Ran out", cell: (r) => fmtRanOut(r) },
        { header: "After", num: true, cell: (r) => fmtRanOutAfter(r) },
        { header: "Budget at end", num: true, cell: (r) => fmtPercent(r.remainingAtEnd, 0) },
      ]}
    />
  );
}
