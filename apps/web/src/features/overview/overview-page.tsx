import { Link } from "react-router";
import { useOverview } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { DataTable } from "../../components/data-table";
import { DownloadLink } from "../../components/download-link";
import { FilterBar } from "../../components/filter-bar";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { Empty, Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { overviewColumns, SORT_COLUMNS } from "./overview-columns";
import { SORT_KEYS, defaultDir, sortRows, type SortDir, type SortKey } from "./rows";

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
  const onSort = (key: SortKey) =>
    set({ sort: key, dir: sort === key ? (dir === "asc" ? "desc" : "asc") : defaultDir(key) });
  return (
    <div className="page">
      <PageHeader
        title="Overview"
        description="Every SLO in every region: budget left in the current period and how fast it burns. Firing alerts come first."
      >
        <FilterBar choices={overview.data} />
        <ChoiceSelect
          label="Sort by"
          value={sort}
          choices={SORT_COLUMNS.map((c) => [c.key, c.label.toLowerCase()] as const)}
          onChange={(v) => set({ sort: v, dir: null })}
        />
        <DownloadLink
          path="/api/v1/reports/overview"
          params={{ ...filters, format: "csv" }}
          file="overview.csv"
        />
      </PageHeader>
      <Updating query={overview} />
      <QueryState query={overview} what="the overview" loadingWhat="SLOs">
        {(data) => {
          const rows = sortRows(data.rows, sort, dir);
          if (rows.length === 0) return filtered ? <NoMatch /> : <NoSlos />;
          return (
            <>
              <p className="muted small" aria-live="polite" data-testid="overview-summary">
                {rows.length} SLO × region · {rows.filter((r) => r.firing).length} firing
              </p>
              <DataTable
                className="grid sortable overview"
                label="SLOs"
                columns={overviewColumns({ sort, dir, onSort })}
                rows={rows}
                rowKey={(r) => `${r.sloId}|${r.region ?? ""}`}
                rowProps={(r) => ({ "data-testid": "slo-row", "data-state": r.state })}
              />
            </>
          );
        }}
      </QueryState>
    </div>
  );
}

function NoMatch() {
  return (
    <Empty title="No SLO matches these filters">
      <p>
        Clear a filter above, or <Link to="/">show every SLO</Link>.
      </p>
    </Empty>
  );
}

function NoSlos() {
  return (
    <Empty title="No SLOs yet">
      <p>
        Register a team and a service, then <Link to="/slos/new">create an SLO</Link> (or{" "}
        <code>POST /api/v1/slos</code>, see <a href="/docs">/docs</a>).
      </p>
    </Empty>
  );
}
