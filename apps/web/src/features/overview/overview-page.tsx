import type { SloResponse, SloStatusResponse } from "@burnrate/contracts";
import { Link, useSearchParams } from "react-router";
import { useAlerts, useSlos, useStatuses } from "../../api/hooks";
import { fmtBurn, fmtPercent } from "../../components/format";
import { StatusChip } from "../../components/status-chip";

type SortKey = "name" | "budget" | "burn";

/** Every SLO with its budget and burn; firing alerts first; filters and sort live in the URL. */
export function OverviewPage() {
  const [params, setParams] = useSearchParams();
  const slos = useSlos();
  const alerts = useAlerts("open");
  const statuses = useStatuses((slos.data ?? []).map((s) => s.id));
  const team = params.get("team") ?? "";
  const sort = (params.get("sort") as SortKey | null) ?? "budget";
  if (slos.isLoading) return <div className="page muted">Loading SLOs…</div>;
  if (slos.error) return <div className="page error">Could not load SLOs: {slos.error.message}</div>;
  const all = slos.data ?? [];
  if (all.length === 0)
    return (
      <div className="page empty">
        <h1>No SLOs yet</h1>
        <p>
          Register a team and a service, then create an SLO with <code>POST /api/v1/slos</code> (see{" "}
          <a href="/docs">/docs</a>).
        </p>
      </div>
    );
  const teams = [...new Set(all.map((s) => s.team))].sort();
  const firing = new Set((alerts.data ?? []).map((a) => a.sloId));
  const rows = all
    .filter((s) => !team || s.team === team)
    .map((s) => ({ slo: s, status: statuses.data?.[s.id] as SloStatusResponse | undefined }))
    .sort((a, b) => {
      const f = Number(firing.has(b.slo.id)) - Number(firing.has(a.slo.id));
      if (f !== 0) return f;
      if (sort === "name") return a.slo.name.localeCompare(b.slo.name);
      if (sort === "burn") return (b.status?.burnRates["1h"] ?? -1) - (a.status?.burnRates["1h"] ?? -1);
      return (a.status?.errorBudget.remainingFraction ?? 2) - (b.status?.errorBudget.remainingFraction ?? 2);
    });
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Overview</h1>
        <label>
          Team{" "}
          <select value={team} onChange={(e) => set("team", e.target.value)} aria-label="Filter by team">
            <option value="">all teams</option>
            {teams.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Sort{" "}
          <select value={sort} onChange={(e) => set("sort", e.target.value)} aria-label="Sort by">
            <option value="budget">budget left</option>
            <option value="burn">burn rate (1 h)</option>
            <option value="name">name</option>
          </select>
        </label>
      </div>
      <table className="grid" aria-label="SLOs">
        <thead>
          <tr>
            <th>Status</th>
            <th>SLO</th>
            <th>Service</th>
            <th>Team</th>
            <th className="num">Objective</th>
            <th className="num">SLI</th>
            <th className="num">Budget left</th>
            <th className="num">Burn 1 h</th>
            <th className="num">Burn 6 h</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ slo, status }) => (
            <OverviewRow key={slo.id} slo={slo} status={status} firing={firing.has(slo.id)} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OverviewRow({
  slo,
  status,
  firing,
}: {
  slo: SloResponse;
  status?: SloStatusResponse;
  firing: boolean;
}) {
  return (
    <tr data-testid="slo-row">
      <td>
        <StatusChip
          firing={firing}
          remaining={status?.errorBudget.remainingFraction ?? null}
          hasData={(status?.sli.total ?? 0) > 0}
        />
      </td>
      <td>
        <Link to={`/slos/${slo.id}`}>{slo.name}</Link>
        <div className="muted small">{slo.sentence}</div>
      </td>
      <td>{slo.service}</td>
      <td>{slo.team}</td>
      <td className="num">{slo.objectivePercent}%</td>
      <td className="num">{fmtPercent(status?.sli.ratio, 3)}</td>
      <td className="num">{status ? fmtPercent(status.errorBudget.remainingFraction, 1) : "…"}</td>
      <td className="num">{fmtBurn(status?.burnRates["1h"])}</td>
      <td className="num">{fmtBurn(status?.burnRates["6h"])}</td>
    </tr>
  );
}
