import type { EndpointStatsRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { DataTable, type Column } from "../../components/data-table";
import { fmtPercent } from "../../components/format";

/** A latency bucket's upper bound; the last bucket is open-ended. */
const latency = (x: number | null) => (x === null ? "> 60 s" : `≤ ${x} ms`);

const METRIC_COLUMNS: Record<"availability" | "latency", Column<EndpointStatsRow>[]> = {
  availability: [{ header: "Availability", num: true, cell: (r) => fmtPercent(r.availability, 3) }],
  latency: [
    { header: "p50", num: true, cell: (r) => latency(r.p50Ms) },
    { header: "p95", num: true, cell: (r) => latency(r.p95Ms) },
    { header: "p99", num: true, cell: (r) => latency(r.p99Ms) },
  ],
};

/** Endpoints by request traffic (rollups, with or without an SLO): least available, or slowest. */
export function EndpointTable({
  rows,
  metric,
}: {
  rows: EndpointStatsRow[];
  metric: "availability" | "latency";
}) {
  if (rows.length === 0)
    return (
      <p className="muted">
        No requests in this window: these tables read the ingested request rollups (not the SLI history).
      </p>
    );
  return (
    <DataTable
      label={metric === "availability" ? "Least available endpoints" : "Slowest endpoints"}
      rows={rows}
      rowKey={(r) => `${r.service}|${r.endpoint}|${r.region}`}
      columns={[
        { header: "Service", cell: (r) => <Link to={`/services/${r.service}`}>{r.service}</Link> },
        { header: "Endpoint", cell: (r) => <code>{r.endpoint}</code> },
        { header: "Region", cell: (r) => r.region },
        { header: "Requests", num: true, cell: (r) => r.total.toLocaleString() },
        ...METRIC_COLUMNS[metric],
      ]}
    />
  );
}
