import { Link, useParams } from "react-router";
import { useDeployments, useOverview, useService, useServiceSlos } from "../../api/hooks";
import { BudgetCell } from "../../components/budget-cell";
import { fmtObjective, fmtTime } from "../../components/format";
import { Empty, ErrorBox, Loading } from "../../components/states";
import { ReleaseGateCheck } from "../policy/release-gate";

/** A service: its endpoints and SLOs (explicit and default) with their budgets, recent deployments, runbook. */
export function ServicePage() {
  const { slug = "" } = useParams();
  const service = useService(slug);
  const slos = useServiceSlos(slug);
  const overview = useOverview({ service: slug, includeDefaults: true });
  const deployments = useDeployments(slug);
  if (service.isLoading)
    return (
      <div className="page">
        <Loading what={`service ${slug}`} />
      </div>
    );
  if (service.error || !service.data)
    return (
      <div className="page">
        <ErrorBox what={`service ${slug}`} error={service.error ?? new Error("not found")} />
      </div>
    );
  const s = service.data;
  const rowsBySlo = new Map<string, NonNullable<typeof overview.data>["rows"]>();
  for (const r of overview.data?.rows ?? []) rowsBySlo.set(r.sloId, [...(rowsBySlo.get(r.sloId) ?? []), r]);
  const explicit = (slos.data ?? []).filter((x) => x.kind === "explicit");
  const defaults = (slos.data ?? []).filter((x) => x.kind === "default");
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{s.name}</h1>
          <p className="muted">
            {s.slug} · team <Link to={`/teams/${s.team}`}>{s.team}</Link>
            {s.tier ? ` · tier ${s.tier}` : ""} · failures: {s.failureStatuses.join(", ")}
            {s.lastSeenAt ? ` · last request ${fmtTime(Date.parse(s.lastSeenAt))}` : " · no traffic yet"}
          </p>
        </div>
        <span className="spacer" />
        {s.runbookUrl ? (
          <a className="button" href={s.runbookUrl} target="_blank" rel="noreferrer">
            Runbook
          </a>
        ) : (
          <span className="muted">No runbook set (PATCH /api/v1/services/{s.slug})</span>
        )}
        <Link className="button" to={`/slos/new?service=${s.slug}`}>
          New SLO
        </Link>
      </div>
      <section aria-label="SLOs">
        <h2>SLOs</h2>
        {slos.isLoading ? (
          <Loading what="SLOs" />
        ) : explicit.length + defaults.length === 0 ? (
          <Empty title="No SLO for this service">
            <p>
              <Link to={`/slos/new?service=${s.slug}`}>Create one</Link>, or set default SLOs per SLI with{" "}
              <code>PUT /api/v1/services/{s.slug}/default-slos</code>.
            </p>
          </Empty>
        ) : (
          <table className="grid" aria-label="SLOs of the service">
            <thead>
              <tr>
                <th>SLO</th>
                <th>Kind</th>
                <th>Endpoint</th>
                <th>Objective</th>
                <th>Budget left per region</th>
              </tr>
            </thead>
            <tbody>
              {[...explicit, ...defaults].map((x) => (
                <tr key={x.id} data-testid="service-slo">
                  <td>
                    <Link to={`/slos/${x.id}`}>{x.name}</Link>
                    <div className="muted small">{x.sentence}</div>
                  </td>
                  <td>{x.kind}</td>
                  <td>{x.endpoint ?? "whole service"}</td>
                  <td className="num">{fmtObjective(x.objectivePercent)}</td>
                  <td>
                    <div className="cells">
                      {(rowsBySlo.get(x.id) ?? []).map((r) => (
                        <BudgetCell key={r.region ?? ""} row={r} label={r.region ?? "no data"} />
                      ))}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Release gate">
        <h2>Release gate</h2>
        <p className="muted">
          May this service be deployed now? From team {s.team}'s{" "}
          <Link to={`/teams/${s.team}/policy`}>error budget policy</Link>.
        </p>
        <ReleaseGateCheck
          service={s.slug}
          regions={[
            ...new Set((overview.data?.rows ?? []).map((r) => r.region).filter((r): r is string => !!r)),
          ].sort()}
        />
      </section>
      <div className="two-col">
        <section aria-label="Endpoints">
          <h2>Endpoints</h2>
          {s.endpoints.length === 0 ? (
            <p className="muted">No endpoint seen yet: they appear with the first requests.</p>
          ) : (
            <ul className="plain">
              {s.endpoints.map((e) => (
                <li key={e.id}>
                  <code>
                    {e.method} {e.route}
                  </code>
                  {explicit.some((x) => x.endpoint === `${e.method} ${e.route}`) ? (
                    <span className="chip state-healthy">explicit SLO</span>
                  ) : defaults.some((x) => x.endpoint === `${e.method} ${e.route}`) ? (
                    <span className="chip state-no-data">default SLO</span>
                  ) : (
                    <span className="chip state-low">no SLO</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Recent deployments">
          <h2>Recent deployments</h2>
          {(deployments.data ?? []).length === 0 ? (
            <p className="muted">
              None recorded. CI can post them to <code>POST /api/v1/deployments</code>.
            </p>
          ) : (
            <table className="grid">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Version</th>
                  <th>Kind</th>
                  <th>Region</th>
                </tr>
              </thead>
              <tbody>
                {deployments.data!.map((d) => (
                  <tr key={d.id}>
                    <td>{fmtTime(Date.parse(d.at))}</td>
                    <td>{d.version}</td>
                    <td>{d.kind}</td>
                    <td>{d.region ?? "all"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </div>
  );
}
