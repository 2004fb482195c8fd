import { Link, useParams } from "react-router";
import { useOverview } from "../../api/hooks";
import { BudgetCell } from "../../components/budget-cell";
import { FilterBar } from "../../components/filter-bar";
import { Empty, ErrorBox, Loading } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { toSloRegionGrid } from "../overview/rows";

/** A team's services × regions: one budget-left cell per SLO and region, coloured by state. */
export function TeamPage() {
  const { slug = "" } = useParams();
  const { get } = useUrlState();
  const overview = useOverview({ team: slug, sli: get("sli"), includeDefaults: get("defaults") === "1" });
  if (overview.isLoading)
    return (
      <div className="page">
        <Loading what={`team ${slug}`} />
      </div>
    );
  if (overview.error)
    return (
      <div className="page">
        <ErrorBox what={`team ${slug}`} error={overview.error} />
      </div>
    );
  const data = overview.data!;
  const grid = toSloRegionGrid(data.rows);
  const known = data.teams.includes(slug);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Team {slug}</h1>
          <p className="muted">
            Budget left in the current period for each SLO of the team, per region. Red: firing or exhausted;
            amber: under 25% left.
          </p>
        </div>
        <span className="spacer" />
        <Link className="button" to={`/teams/${slug}/policy`}>
          Error budget policy
        </Link>
        <FilterBar choices={data} show={["sli"]} />
        <DefaultsToggle />
      </div>
      {!known ? (
        <Empty title={`No team '${slug}'`}>
          <p>
            Pick a team in the top bar, or create it in <Link to="/settings">Settings</Link>.
          </p>
        </Empty>
      ) : grid.rows.length === 0 ? (
        <Empty title="This team has no SLOs yet">
          <p>
            <Link to="/slos/new">Create an SLO</Link> for one of its services.
          </p>
        </Empty>
      ) : (
        <table className="grid budget-grid" aria-label={`Budget left of team ${slug} by region`}>
          <thead>
            <tr>
              <th>Service</th>
              <th>SLO</th>
              {grid.regions.map((r) => (
                <th key={r}>
                  <Link to={`/regions/${r}`}>{r}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row, i) => (
              <tr key={row.key}>
                <td>
                  {(i === 0 || grid.rows[i - 1]!.service !== row.service) && (
                    <Link to={`/services/${row.service}`}>{row.service}</Link>
                  )}
                </td>
                <td>
                  <Link to={`/slos/${row.sloId}`}>{row.name}</Link>
                </td>
                {grid.regions.map((r) => (
                  <td key={r} className="cell-td">
                    {row.cells[r] ? (
                      <BudgetCell row={row.cells[r]} />
                    ) : (
                      <span className="muted">no traffic</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function DefaultsToggle() {
  const { get, set } = useUrlState();
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={get("defaults") === "1"}
        onChange={(e) => set({ defaults: e.target.checked ? "1" : null })}
      />
      include default SLOs
    </label>
  );
}
