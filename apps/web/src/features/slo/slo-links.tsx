import type { DeploymentResponse, ServiceResponse, SloResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import { fmtTime } from "../../components/format";

/** Where an on-call engineer goes next: the runbook, the service, its team, and its dashboard. */
export function SloLinks({
  slo,
  service,
  region,
}: {
  slo: SloResponse;
  service: ServiceResponse | undefined;
  region: string | null;
}) {
  const runbook = slo.runbookUrl ?? service?.runbookUrl ?? null;
  const dashboard = region
    ? `/regions/${encodeURIComponent(region)}`
    : `/?service=${encodeURIComponent(slo.service)}`;
  return (
    <nav className="slo-links" aria-label="Related">
      {runbook ? (
        <a href={runbook} target="_blank" rel="noreferrer">
          Runbook ↗
        </a>
      ) : (
        <span className="muted">no runbook</span>
      )}
      <Link to={`/services/${encodeURIComponent(slo.service)}`}>Service {slo.service}</Link>
      <Link to={`/teams/${encodeURIComponent(slo.team)}`}>Team {slo.team}</Link>
      <Link to={dashboard}>{region ? `Dashboard ${region}` : "Dashboard"}</Link>
    </nav>
  );
}

/** How many deployments the SLO page lists. */
const SHOWN = 5;

/** The service's last deployments (and game days, maintenance, notes) in the region shown or in every region. */
export function RecentDeployments({
  deployments,
  region,
  loading,
}: {
  deployments: DeploymentResponse[];
  region: string | null;
  loading: boolean;
}) {
  const shown = deployments
    .filter((d) => region === null || d.region === null || d.region === region)
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, SHOWN);
  return (
    <section className="panel" aria-label="Last deployments">
      <h2>Last deployments</h2>
      {loading ? (
        <p className="muted">Loading…</p>
      ) : shown.length === 0 ? (
        <p className="muted">None recorded.</p>
      ) : (
        <ul className="deploy-list">
          {shown.map((d) => (
            <li key={d.id}>
              <strong>{d.version}</strong>{" "}
              <span className="muted">
                {d.kind === "deployment" ? "" : `${d.kind.replace("_", " ")} · `}
                {d.region ?? "all regions"}
              </span>
              <br />
              <time dateTime={d.at}>{fmtTime(Date.parse(d.at))}</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
