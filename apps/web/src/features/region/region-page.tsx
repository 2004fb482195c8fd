import { Link, useParams } from "react-router";
import { useOverview } from "../../api";
import { BudgetCell } from "../../components/budget-cell";
import { DataTable } from "../../components/data-table";
import { DefaultsToggle } from "../../components/defaults-toggle";
import { FilterBar } from "../../components/filter-bar";
import { PageHeader } from "../../components/page-header";
import { NotFound } from "../../components/not-found";
import { usePageTitle } from "../../components/page-title";
import { QueryState } from "../../components/query-state";
import { Empty } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { toServiceGroups } from "../overview/rows";

/** Every service in one region (e.g. during an outage in Japan), worst first, with its SLOs' budget cells. */
export function RegionPage() {
  const { slug = "" } = useParams();
  const { get } = useUrlState();
  const overview = useOverview({
    region: slug,
    team: get("team"),
    sli: get("sli"),
    includeDefaults: get("defaults") === "1",
  });
  usePageTitle(overview.data?.regions.includes(slug) ? `Region ${slug}` : null);
  return (
    <QueryState query={overview} what={`region ${slug}`} page>
      {(data) => {
        // regions appear when traffic arrives from them: one the API never saw does not exist
        if (!data.regions.includes(slug)) return <NotFound what={`region ${slug}`} />;
        const groups = toServiceGroups(data.rows);
        const firing = data.rows.filter((r) => r.firing).length;
        return (
          <div className="page">
            <PageHeader
              title={<>Region {slug}</>}
              description={
                <>
                  {groups.length} services · {data.rows.length} SLOs · {firing} firing. Services with the
                  worst state come first.
                </>
              }
            >
              <FilterBar choices={data} show={["team", "sli"]} />
              <DefaultsToggle />
            </PageHeader>
            {groups.length === 0 ? (
              <Empty title="No SLO has data in this region">
                <p>
                  Send request logs tagged with <code>region: &quot;{slug}&quot;</code> to{" "}
                  <code>POST /api/v1/ingest/requests</code>, or clear the filters.
                </p>
              </Empty>
            ) : (
              <DataTable
                className="grid budget-grid"
                label={`Services in ${slug}`}
                rows={groups}
                rowKey={(g) => g.service}
                rowProps={() => ({ "data-testid": "region-service" })}
                columns={[
                  { header: "Service", cell: (g) => <Link to={`/services/${g.service}`}>{g.service}</Link> },
                  { header: "Team", cell: (g) => <Link to={`/teams/${g.team}`}>{g.team}</Link> },
                  {
                    header: <>SLOs (budget left in {slug})</>,
                    cell: (g) => (
                      <div className="cells">
                        {g.rows.map((r) => (
                          <BudgetCell key={r.sloId} row={r} label={r.name} />
                        ))}
                      </div>
                    ),
                  },
                ]}
              />
            )}
          </div>
        );
      }}
    </QueryState>
  );
}
