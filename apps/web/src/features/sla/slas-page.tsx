import type { SlaResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import { useSlas } from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtObjective } from "../../components/format";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { Empty } from "../../components/states";
import { sliLabel, windowLabel } from "./sla-format";

/** SLAs by service (book §11.2.6): the contractual obligations, with the services and endpoint SLAs under each. */
export function SlasPage() {
  const slas = useSlas();
  return (
    <div className="page">
      <PageHeader
        title="SLAs"
        description="Contractual objectives, the services that contribute to them and the endpoint-level SLAs that must hold for them to hold."
      >
        <Link className="button" to="/slas/new">
          New SLA
        </Link>
      </PageHeader>
      <QueryState query={slas} what="SLAs">
        {(rows) =>
          rows.length === 0 ? (
            <Empty title="No SLA yet">
              <p>
                <Link to="/slas/new">Create one</Link>: a name, its services, the contractual objective and
                the period (or POST /api/v1/slas).
              </p>
            </Empty>
          ) : (
            <DataTable
              label="SLAs"
              rows={rows}
              rowKey={(r) => r.id}
              rowProps={() => ({ "data-testid": "sla-row" })}
              columns={[
                { header: "SLA", cell: (r: SlaResponse) => <Link to={`/slas/${r.id}`}>{r.name}</Link> },
                { header: "SLI", cell: (r) => sliLabel(r.sli) },
                { header: "Objective", num: true, cell: (r) => fmtObjective(r.objectivePercent) },
                { header: "Period", cell: (r) => windowLabel(r.window) },
                {
                  header: "Services",
                  cell: (r) =>
                    r.services.map((s, i) => (
                      <span key={s.slug}>
                        {i > 0 && ", "}
                        <Link to={`/services/${s.slug}`}>{s.name}</Link>
                      </span>
                    )),
                },
                { header: "Teams", cell: (r) => r.teams.join(", ") },
                { header: "Endpoint SLAs", num: true, cell: (r) => r.children.length },
                {
                  header: "Tiers",
                  cell: (r) =>
                    r.tiers.map((t) => `${t.name} ${fmtObjective(t.objectivePercent)}`).join(", ") || "–",
                },
              ]}
            />
          )
        }
      </QueryState>
    </div>
  );
}
