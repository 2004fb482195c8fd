import { Link, useParams } from "react-router";
import { useOverview, useTeam } from "../../api";
import { BudgetCell } from "../../components/budget-cell";
import { DataTable, type Column } from "../../components/data-table";
import { DefaultsToggle } from "../../components/defaults-toggle";
import { FilterBar } from "../../components/filter-bar";
import { NameLink } from "../../components/name-link";
import { PageHeader } from "../../components/page-header";
import { usePageTitle } from "../../components/page-title";
import { QueryState } from "../../components/query-state";
import { Empty } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { toSloRegionGrid } from "../overview/rows";
import { TeamOverdue } from "./team-overdue";
import { TeamCulture } from "./team-culture";
import { TeamReviews } from "./team-reviews";

type Grid = ReturnType<typeof toSloRegionGrid>;

/** A team's services × regions: one budget-left cell per SLO and region, coloured by state. */
export function TeamPage() {
  const { slug = "" } = useParams();
  const { get } = useUrlState();
  const team = useTeam(slug);
  const overview = useOverview({ team: slug, sli: get("sli"), includeDefaults: get("defaults") === "1" });
  usePageTitle(team.data ? `Team ${team.data.name}` : null);
  if (!team.data)
    return (
      <QueryState query={team} what={`team ${slug}`} page>
        {() => null}
      </QueryState>
    );
  return (
    <QueryState query={overview} what={`team ${slug}`} page>
      {(data) => {
        const grid = toSloRegionGrid(data.rows);
        return (
          <div className="page">
            <PageHeader
              title={<>Team {slug}</>}
              description="Budget left in the current period for each SLO of the team, per region. Red: firing or exhausted; amber: under 25% left."
            >
              <Link className="button" to={`/teams/${slug}/policy`}>
                Error budget policy
              </Link>
              <Link className="button" to={`/teams/${slug}/newsletter`}>
                Newsletter
              </Link>
              <FilterBar choices={data} show={["sli"]} />
              <DefaultsToggle />
            </PageHeader>
            {grid.rows.length === 0 ? (
              <Empty title="This team has no SLOs yet">
                <p>
                  <Link to="/slos/new">Create an SLO</Link> for one of its services.
                </p>
              </Empty>
            ) : (
              <DataTable
                className="grid budget-grid"
                label={`Budget left of team ${slug} by region`}
                columns={gridColumns(grid)}
                rows={grid.rows}
                rowKey={(row) => row.key}
              />
            )}
            <TeamReviews slug={slug} />
            <TeamOverdue slug={slug} />
            <TeamCulture slug={slug} />
          </div>
        );
      }}
    </QueryState>
  );
}

/** Service (named once, on its first SLO), SLO, then one budget cell per region. */
function gridColumns(grid: Grid): Column<Grid["rows"][number]>[] {
  return [
    {
      header: "Service",
      cell: (row, i) =>
        (i === 0 || grid.rows[i - 1]!.service !== row.service) && (
          <NameLink to={`/services/${row.service}`} name={row.service} />
        ),
    },
    { header: "SLO", cell: (row) => <Link to={`/slos/${row.sloId}`}>{row.name}</Link> },
    ...grid.regions.map((r): Column<Grid["rows"][number]> => ({
      key: r,
      header: <NameLink to={`/regions/${r}`} name={r} />,
      className: "cell-td",
      cell: (row) =>
        row.cells[r] ? <BudgetCell row={row.cells[r]} /> : <span className="muted">no traffic</span>,
    })),
  ];
}
