import { Link, useParams, useSearchParams } from "react-router";
import { RANGES, useSeries, useSlo, useSloAlerts, useSloVersions, useStatus } from "../../api/hooks";
import { fmtBurn, fmtHours, fmtPercent } from "../../components/format";
import { BudgetChart, BurnRateChart, SliChart } from "./charts";

export function SloPage() {
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const region = params.get("region");
  const slo = useSlo(id);
  const status = useStatus(id, region);
  const range = params.get("range") ?? "period";
  const periodMs = status.data
    ? Date.parse(status.data.period.end) - Date.parse(status.data.period.start)
    : undefined;
  const series = useSeries(id, region, range in RANGES ? range : "period", periodMs);
  const versions = useSloVersions(id);
  const setParam = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
  };
  const alerts = useSloAlerts(id);
  if (slo.isLoading) return <div className="page muted">Loading…</div>;
  if (slo.error || !slo.data) return <div className="page error">SLO not found: {slo.error?.message}</div>;
  const s = slo.data;
  const st = status.data;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{s.name}</h1>
          <p className="muted">
            {s.sentence} · {s.service} · team {s.team} · {s.budgetingMethod} budgeting
            {s.priority ? ` · ${s.priority}` : ""}
          </p>
        </div>
        <span className="spacer" />
        <label>
          Region{" "}
          <select
            aria-label="Region"
            value={region ?? ""}
            onChange={(e) => setParam("region", e.target.value)}
          >
            <option value="">all regions</option>
            {(st?.regions ?? []).map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Range{" "}
          <select
            aria-label="Range"
            value={range}
            onChange={(e) => setParam("range", e.target.value === "period" ? "" : e.target.value)}
          >
            <option value="6h">last 6 hours</option>
            <option value="1d">last 24 hours</option>
            <option value="7d">last 7 days</option>
            <option value="period">current period</option>
            <option value="3p">last 3 periods</option>
          </select>
        </label>
        {s.kind === "explicit" ? (
          <Link className="button" to={`/slos/${s.id}/edit`}>
            Edit
          </Link>
        ) : (
          <span className="muted small">default SLO: edit the service&apos;s defaults</span>
        )}
      </div>
      {s.backfillPercent < 100 && (
        <div className="banner" role="status">
          Computing history… {s.backfillPercent}%
          <progress max={100} value={s.backfillPercent} />
        </div>
      )}
      {st && (
        <section className="kpis" aria-label="Current status">
          <Kpi
            label="SLI this period"
            value={fmtPercent(st.sli.ratio, 3)}
            sub={`${st.sli.good.toLocaleString()} good of ${st.sli.total.toLocaleString()}`}
          />
          <Kpi
            label="Budget left"
            value={fmtPercent(st.errorBudget.remainingFraction, 1)}
            sub={`${st.errorBudget.bad.toLocaleString()} bad of ${Math.round(st.errorBudget.allowed).toLocaleString()} allowed`}
            tone={st.errorBudget.remainingFraction <= 0 ? "bad" : undefined}
          />
          <Kpi
            label="Burn rate 1 h"
            value={fmtBurn(st.burnRates["1h"])}
            sub={`5 m ${fmtBurn(st.burnRates["5m"])} · 6 h ${fmtBurn(st.burnRates["6h"])}`}
          />
          <Kpi
            label="Time to exhaustion"
            value={fmtHours(st.timeToExhaustionHours)}
            sub="at the 1 h burn rate"
          />
          <Kpi
            label="Tiers firing"
            value={String(st.tiers.filter((t) => t.firing).length)}
            sub={
              st.tiers
                .filter((t) => t.firing)
                .map((t) => t.name)
                .join(", ") || "none"
            }
            tone={st.tiers.some((t) => t.firing) ? "bad" : undefined}
          />
        </section>
      )}
      {series.data ? (
        series.data.points.some((p) => p.total > 0) ? (
          <div className="charts">
            <BudgetChart series={series.data} />
            <SliChart series={series.data} />
            <BurnRateChart series={series.data} />
          </div>
        ) : (
          <div className="empty">
            No traffic in this range yet. Send request logs to <code>POST /api/v1/ingest/requests</code>, or
            pick a longer range.
          </div>
        )
      ) : (
        <div className="muted">Loading graphs…</div>
      )}
      <section aria-label="Alert history">
        <h2>Alerts</h2>
        {(alerts.data ?? []).length === 0 ? (
          <p className="muted">No alerts.</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>State</th>
                <th>Severity</th>
                <th>Region</th>
                <th>Fired</th>
                <th>Resolved</th>
                <th>Slack</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data!.map((a) => (
                <tr key={a.id}>
                  <td>{a.state}</td>
                  <td>{a.severity}</td>
                  <td>{a.region ?? "all"}</td>
                  <td>{new Date(a.firedAt).toLocaleString()}</td>
                  <td>{a.resolvedAt ? new Date(a.resolvedAt).toLocaleString() : "–"}</td>
                  <td>
                    {a.slack.error ? (
                      <span className="error">{a.slack.error}</span>
                    ) : a.slack.ts ? (
                      "posted"
                    ) : (
                      "–"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Version history">
        <h2>Versions</h2>
        {(versions.data ?? []).length === 0 ? (
          <p className="muted">{versions.isLoading ? "Loading…" : "No versions recorded."}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>Version</th>
                <th>When</th>
                <th>Author</th>
                <th>Reason</th>
                <th>Changes</th>
              </tr>
            </thead>
            <tbody>
              {[...versions.data!].reverse().map((v) => (
                <tr key={v.version} data-testid="version-row">
                  <td>v{v.version}</td>
                  <td>{new Date(v.createdAt).toLocaleString()}</td>
                  <td>{v.author}</td>
                  <td>{v.reason}</td>
                  <td className="small">
                    {v.changes.length === 0
                      ? "created"
                      : v.changes
                          .map((c) => `${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`)
                          .join("; ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function Kpi({ label, value, sub, tone }: { label: string; value: string; sub?: string; tone?: "bad" }) {
  return (
    <div className={`kpi ${tone ?? ""}`}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{value}</div>
      {sub && <div className="kpi-sub muted">{sub}</div>}
    </div>
  );
}
