import { Link, useParams } from "react-router";
import { useOverview } from "../../api/hooks";
import { BudgetCell } from "../../components/budget-cell";
import { FilterBar } from "../../components/filter-bar";
import { Empty, ErrorBox, Loading } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { toServiceGroups } from "../overview/rows";
import { DefaultsToggle } from "../team/team-page";

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
  if (overview.isLoading)
    return (
      <div className="page">
        <Loading what={`region ${slug}`} />
      </div>
    );
  if (overview.error)
    return (
      <div className="page">
        <ErrorBox what={`region ${slug}`} error={overview.error} />
      </div>
    );
  const data = overview.data!;
  const groups = toServiceGroups(data.rows);
  const firing = data.rows.filter((r) => r.firing).length;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Region {slug}</h1>
          <p className="muted">
            {groups.length} services · {data.rows.length} SLOs · {firing} firing. Services with the worst
            state come first.
          </p>
        </div>
        <span className="spacer" />
        <FilterBar choices={data} show={["team", "sli"]} />
        <DefaultsToggle />
      </div>
      {!data.regions.includes(slug) ? (
        <Empty title={`No region '${slug}'`}>
          <p>Regions appear when traffic arrives from them. Pick one in the top bar.</p>
        </Empty>
      ) : groups.length === 0 ? (
        <Empty title="No SLO has data in this region">
          <p>
            Send request logs tagged with <code>region: &quot;{slug}&quot;</code> to{" "}
            <code>POST /api/v1/ingest/requests</code>, or clear the filters.
          </p>
        </Empty>
      ) : (
        <table className="grid budget-grid" aria-label={`Services in ${slug}`}>
          <thead>
            <tr>
              <th>Service</th>
              <th>Team</th>
              <th>SLOs (budget left in {slug})</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.service} data-testid="region-service">
                <td>
                  <Link to={`/services/${g.service}`}>{g.service}</Link>
                </td>
                <td>
                  <Link to={`/teams/${g.team}`}>{g.team}</Link>
                </td>
                <td>
                  <div className="cells">
                    {g.rows.map((r) => (
                      <BudgetCell key={r.sloId} row={r} label={r.name} />
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
