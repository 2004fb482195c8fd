import type { ScheduleResponse } from "@burnrate/contracts";
import { useOverrides } from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";
import { POSITION_LABEL } from "./to-timeline";

/** The schedule's overrides that have not ended: short ones are thin on the timeline, so they are listed too. */
export function OverridesList({ schedule }: { schedule: ScheduleResponse }) {
  const overrides = useOverrides(schedule.id);
  const rows = overrides.data ?? [];
  if (rows.length === 0) return null;
  return (
    <div aria-label={`Overrides of ${schedule.name}`} className="oncall-overrides">
      <h3>Overrides</h3>
      <DataTable
        rows={rows}
        rowKey={(o) => o.id}
        columns={[
          { header: "Position", cell: (o) => POSITION_LABEL[o.position] },
          { header: "Who", cell: (o) => `${o.name} (${o.email})` },
          { header: "From", cell: (o) => fmtTime(Date.parse(o.from)) },
          { header: "Until", cell: (o) => fmtTime(Date.parse(o.to)) },
          { header: "Reason", cell: (o) => o.reason ?? "" },
          { header: "By", cell: (o) => o.author },
        ]}
      />
    </div>
  );
}
