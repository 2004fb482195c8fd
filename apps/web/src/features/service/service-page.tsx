import type { DeploymentResponse, OverviewRow, ServiceResponse, SloResponse } from "@burnrate/contracts";
import { Link, useParams } from "react-router";
import { useDeployments, useOverview, useService, useServiceSlos } from "../../api";
import { BudgetCell } from "../../components/budget-cell";
import { DataTable } from "../../components/data-table";
import { fmtObjective, fmtTime } from "../../components/format";
import { PageHeader } from "../../components/page-header";
import { usePageTitle } from "../../components/page-title";
import { QueryState } from "../../components/query-state";
import { Empty, Loading } from "../../components/states";
import { StatusBadge } from "../../components/status-badge";
import { ReleaseGateCheck } from "../policy/release-gate";

/** A service: its endpoints and SLOs (explicit and default) with their budgets, recent deployments, runbook. */
export function ServicePage() {
  const { slug = "" } = useParams();
  const service = useService(slug);
  const slos = useServiceSlos(slug);
  const overview = useOverview({ service: slug, includeDefaults: true });
  const deployments = useDeployments(slug);
  usePageTitle(service.data?.name);
  const rows = overview.data?.rows ?? [];
  const explicit = (slos.data ?? []).filter((x) => x.kind === "explicit");
  const defaults = (slos.data ?? []).filter((x) => x.kind === "default");
  return (
    <QueryState query={service} what={`service ${slug}`} page>
      {(s) => (
        <div className="page">
          <ServiceHeader s={s} />
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
              <ServiceSlos slos={[...explicit, ...defaults]} rows={rows} />
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
              regions={[...new Set(rows.map((r) => r.region).filter((r): r is string => !!r))].sort()}
            />
          </section>
          <div className="two-col">
            <Endpoints s={s} explicit={explicit} defaults={defaults} />
            <RecentDeployments deployments={deployments.data ?? []} />
          </div>
        </div>
      )}
    </QueryState>
  );
}

function ServiceHeader({ s }: { s: ServiceResponse }) {
  return (
    <PageHeader
      title={s.name}
      description={
        <>
          {s.slug} · team <Link to={`/teams/${s.team}`}>{s.team}</Link>
          {s.tier ? ` · tier ${s.tier}` : ""} · failures: {s.failureStatuses.join(", ")}
          {s.lastSeenAt ? ` · last request ${fmtTime(Date.parse(s.lastSeenAt))}` : " · no traffic yet"}
        </>
      }
    >
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
    </PageHeader>
  );
}

/** The service's SLOs, explicit first, each with its budget left per region. */
function ServiceSlos({ slos, rows }: { slos: SloResponse[]; rows: OverviewRow[] }) {
  const rowsBySlo = new Map<string, OverviewRow[]>();
  for (const r of rows) rowsBySlo.set(r.sloId, [...(rowsBySlo.get(r.sloId) ?? []), r]);
  return (
    <DataTable
      label="SLOs of the service"
      rows={slos}
      rowKey={(x) => x.id}
      rowProps={() => ({ "data-testid": "service-slo" })}
      columns={[
        {
          header: "SLO",
          cell: (x) => (
            <>
              <Link to={`/slos/${x.id}`}>{x.name}</Link>
              <div className="muted small">{x.sentence}</div>
            </>
          ),
        },
        { header: "Kind", cell: (x) => x.kind },
        { header: "Endpoint", cell: (x) => x.endpoint ?? "whole service" },
        { header: "Objective", className: "num", cell: (x) => fmtObjective(x.objectivePercent) },
        {
          header: "Budget left per region",
          cell: (x) => (
            <div className="cells">
              {(rowsBySlo.get(x.id) ?? []).map((r) => (
                <BudgetCell key={r.region ?? ""} row={r} label={r.region ?? "no data"} />
              ))}
            </div>
          ),
        },
      ]}
    />
  );
}

function Endpoints({
  s,
  explicit,
  defaults,
}: {
  s: ServiceResponse;
  explicit: SloResponse[];
  defaults: SloResponse[];
}) {
  const has = (list: SloResponse[], route: string) => list.some((x) => x.endpoint === route);
  return (
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
              {has(explicit, `${e.method} ${e.route}`) ? (
                <StatusBadge tone="healthy">explicit SLO</StatusBadge>
              ) : has(defaults, `${e.method} ${e.route}`) ? (
                <StatusBadge tone="no-data">default SLO</StatusBadge>
              ) : (
                <StatusBadge tone="low">no SLO</StatusBadge>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentDeployments({ deployments }: { deployments: DeploymentResponse[] }) {
  return (
    <section aria-label="Recent deployments">
      <h2>Recent deployments</h2>
      {deployments.length === 0 ? (
        <p className="muted">
          None recorded. CI can post them to <code>POST /api/v1/deployments</code>.
        </p>
      ) : (
        <DataTable
          rows={deployments}
          rowKey={(d) => d.id}
          columns={[
            { header: "When", cell: (d) => fmtTime(Date.parse(d.at)) },
            { header: "Version", cell: (d) => d.version },
            { header: "Kind", cell: (d) => d.kind },
            { header: "Region", cell: (d) => d.region ?? "all" },
          ]}
        />
      )}
    </section>
  );
}
