import type { IndicatorsResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import type { z } from "zod";
import { DataTable } from "../../components/data-table";
import { fmtObjective } from "../../components/format";

type SloByService = z.infer<typeof IndicatorsResponse>["slosByService"][number];

/** Each service's SLOs with their period and the days left in it. */
export function SlosByServiceTable({ rows }: { rows: SloByService[] }) {
  if (rows.length === 0) return <p className="muted">No SLO matches the filters.</p>;
  return (
    <DataTable
      label="SLOs by service"
      rows={rows}
      rowKey={(s) => s.sloId}
      columns={[
        { header: "Service", cell: (s) => s.service },
        { header: "Team", cell: (s) => s.team },
        { header: "SLI", cell: (s) => s.sli },
        {
          header: "SLO",
          cell: (s) => (
            <>
              <Link to={`/slos/${s.sloId}`}>
                {s.endpoint ?? s.name} {fmtObjective(s.objectivePercent)}
              </Link>
              {s.kind === "default" && <span className="muted small"> (default)</span>}
            </>
          ),
        },
        {
          header: "Error budget period",
          cell: (s) => (
            <>
              {s.windowLabel} ({s.periodDays.toFixed(0)} days)
            </>
          ),
        },
        {
          header: "Days left",
          num: true,
          cell: (s) => (s.daysLeft === null ? "rolling" : s.daysLeft.toFixed(1)),
        },
        {
          header: "Adherence",
          cell: (s) => <Link to={`/indicators?window=year&service=${s.service}#adherence`}>adherence</Link>,
        },
      ]}
    />
  );
}
