import type { OverviewRow } from "@burnrate/contracts";
import { Link } from "react-router";
import { useOverview } from "../../api/hooks";
import { STATE_LABEL } from "../../components/budget-cell";
import { FilterBar } from "../../components/filter-bar";
import { fmtBurn, fmtHours, fmtObjective, fmtPercent } from "../../components/format";
import { Empty, ErrorBox, Loading, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { SORT_KEYS, defaultDir, sortRows, type SortDir, type SortKey } from "./rows";

const COLUMNS: { key: SortKey; label: string; num?: boolean }[] = [
  { key: "state", label: "Status" },
  { key: "name", label: "SLO" },
  { key: "service", label: "Service" },
  { key: "team", label: "Team" },
  { key: "region", label: "Region" },
  { key: "sli", label: "SLI type" },
  { key: "objective", label: "Objective", num: true },
  { key: "sliRatio", label: "SLI", num: true },
  { key: "budget", label: "Budget left", num: true },
  { key: "burn1h", label: "Burn 1 h", num: true },
  { key: "burn6h", label: "Burn 6 h", num: true },
  { key: "exhaustion", label: "Exhausted in", num: true },
];

/** Every SLO × region with its budget and burn; firing alerts first; filters and sort live in the URL. */
export function OverviewPage() {
  const { get, set } = useUrlState();
  const filters = { team: get("team"), service: get("service"), region: get("region"), sli: get("sli") };
  const overview = useOverview(filters);
  const sortParam = get("sort", "budget");
  const sort: SortKey = (SORT_KEYS as readonly string[]).includes(sortParam)
    ? (sortParam as SortKey)
    : "budget";
  const dir: SortDir =
    get("dir") === "asc" || get("dir") === "desc" ? (get("dir") as SortDir) : defaultDir(sort);
  const filtered = Object.values(filters).some(Boolean);
  const rows = overview.data ? sortRows(overview.data.rows, sort, dir) : [];
  const firing = rows.filter((r) => r.firing).length;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="muted">
            Every SLO in every region: budget left in the current period and how fast it burns. Firing alerts
            come first.
          </p>
        </div>
        <span className="spacer" />
        <FilterBar choices={overview.data} />
        <label>
          Sort by
          <select
            aria-label="Sort by"
            value={sort}
            onChange={(e) => set({ sort: e.target.value, dir: null })}
          >
            {COLUMNS.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Updating query={overview} />
      {overview.isLoading ? (
        <Loading what="SLOs" />
      ) : overview.error ? (
        <ErrorBox what="the overview" error={overview.error} />
      ) : rows.length === 0 ? (
        filtered ? (
          <Empty title="No SLO matches these filters">
            <p>
              Clear a filter above, or <Link to="/">show every SLO</Link>.
            </p>
          </Empty>
        ) : (
          <Empty title="No SLOs yet">
            <p>
              Register a team and a service, then <Link to="/slos/new">create an SLO</Link> (or{" "}
              <code>POST /api/v1/slos</code>, see <a href="/docs">/docs</a>).
            </p>
          </Empty>
        )
      ) : (
        <>
          <p className="muted small" aria-live="polite" data-testid="overview-summary">
            {rows.length} SLO × region · {firing} firing
          </p>
          <table className="grid sortable overview" aria-label="SLOs">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.key}
                    className={c.num ? "num" : undefined}
                    aria-sort={sort === c.key ? (dir === "asc" ? "ascending" : "descending") : "none"}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() =>
                        set({
                          sort: c.key,
                          dir: sort === c.key ? (dir === "asc" ? "desc" : "asc") : defaultDir(c.key),
                        })
                      }
                    >
                      {c.label}
                      <span aria-hidden="true">{sort === c.key ? (dir === "asc" ? " ▲" : " ▼") : ""}</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <OverviewTableRow key={`${r.sloId}|${r.region ?? ""}`} r={r} />
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

function OverviewTableRow({ r }: { r: OverviewRow }) {
  const to = `/slos/${r.sloId}${r.region ? `?region=${encodeURIComponent(r.region)}` : ""}`;
  return (
    <tr data-testid="slo-row" data-state={r.state}>
      <td>
        <span className={`chip state-${r.state}`}>
          {r.alertSeverity ? `${STATE_LABEL[r.state]} (${r.alertSeverity})` : STATE_LABEL[r.state]}
        </span>
      </td>
      <td>
        <Link to={to}>{r.name}</Link>
        <div className="muted small">{r.sentence}</div>
      </td>
      <td className="nowrap">
        <Link to={`/services/${r.service}`}>{r.service}</Link>
      </td>
      <td className="nowrap">
        <Link to={`/teams/${r.team}`}>{r.team}</Link>
      </td>
      <td className="nowrap">
        {r.region ? <Link to={`/regions/${r.region}`}>{r.region}</Link> : <span className="muted">–</span>}
      </td>
      <td>{r.sli}</td>
      <td className="num">{fmtObjective(r.objectivePercent)}</td>
      <td className="num">{fmtPercent(r.sliRatio, 3)}</td>
      <td className="num" data-testid="budget">
        {r.remainingFraction === null ? "no data" : fmtPercent(r.remainingFraction, 1)}
      </td>
      <td className="num">{fmtBurn(r.burnRate1h)}</td>
      <td className="num">{fmtBurn(r.burnRate6h)}</td>
      <td className="num">{r.total > 0 ? fmtHours(r.timeToExhaustionHours) : "–"}</td>
    </tr>
  );
}
