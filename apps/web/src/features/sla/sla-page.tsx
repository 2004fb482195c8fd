import type { SlaPeriod, SlaStatusResponse, SlaStatusRow } from "@burnrate/contracts";
import { Link, useParams } from "react-router";
import { useSla, useSlaStatus } from "../../api";
import { ChoiceSelect } from "../../components/choice-select";
import { DataTable, type Column } from "../../components/data-table";
import { fmtObjective } from "../../components/format";
import { DownloadLink } from "../../components/download-link";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { StatusBadge } from "../../components/status-badge";
import { Updating } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { SlaDepletionChart } from "./sla-chart";
import { fmtBudget, fmtSpeed, periodLabel, sliLabel, windowLabel } from "./sla-format";
import "./sla-page.css";

const PERIOD_CHOICES = [3, 4, 6, 12];
const DEFAULT_PERIODS = 4;

/**
 * One SLA (book §11.2.7–11.2.8): its terms, the depletion of its budget per period for the contractual SLA and
 * each endpoint-level SLA, and their adherence, the contractual row on top with the endpoint SLAs beneath it so
 * that a contractual breach shows which endpoint SLAs broke with it.
 */
export function SlaPage() {
  const { id = "" } = useParams();
  const { get, set } = useUrlState();
  const n = PERIOD_CHOICES.includes(Number(get("periods"))) ? Number(get("periods")) : DEFAULT_PERIODS;
  const sla = useSla(id);
  const status = useSlaStatus(id, n);
  return (
    <QueryState query={sla} what="SLA" page>
      {(s) => (
        <div className="page">
          <PageHeader
            title={s.name}
            description={`${sliLabel(s.sli)} · ${fmtObjective(s.objectivePercent)} · ${windowLabel(s.window)}`}
          >
            <ChoiceSelect
              label="Periods"
              value={String(n)}
              choices={PERIOD_CHOICES.map((c) => [String(c), `last ${c}`] as const)}
              onChange={(v) => set({ periods: v })}
            />
            <DownloadLink
              path={`/api/v1/slas/${s.id}/status`}
              params={{ periods: n, format: "csv" }}
              file={`sla-${s.id}.csv`}
            />
            <Link className="button" to={`/slas/${s.id}/edit`}>
              Edit SLA
            </Link>
          </PageHeader>
          <section className="card sla-terms" aria-label="Terms">
            <dl>
              <dt>Services</dt>
              <dd>
                {s.services.map((x, i) => (
                  <span key={x.slug}>
                    {i > 0 && ", "}
                    <Link to={`/services/${x.slug}`}>{x.name}</Link> <span className="muted">({x.team})</span>
                  </span>
                ))}
              </dd>
              <dt>Customers</dt>
              <dd>{s.customers ?? "–"}</dd>
              <dt>Credits or penalties</dt>
              <dd>{s.credits ?? "–"}</dd>
              <dt>Tiers</dt>
              <dd>{s.tiers.map((t) => `${t.name} ${fmtObjective(t.objectivePercent)}`).join(", ") || "–"}</dd>
              <dt>Notified at</dt>
              <dd>{s.thresholds.map((t) => `${t}%`).join(", ") || "–"} of the period budget consumed</dd>
            </dl>
          </section>
          <Updating query={status} />
          <QueryState query={status} what="the SLA's periods">
            {(st) => (
              <>
                <h2>Error budget depletion</h2>
                <SlaDepletionChart status={st} />
                <DepletionTable status={st} />
                <h2>Adherence</h2>
                <AdherenceTable status={st} />
                {st.tiers.length > 0 && (
                  <>
                    <h2>Tiers</h2>
                    <TierTable status={st} />
                  </>
                )}
              </>
            )}
          </QueryState>
        </div>
      )}
    </QueryState>
  );
}

const slaCell = (r: SlaStatusRow) =>
  r.kind === "contractual" ? (
    <strong>{r.name}</strong>
  ) : (
    <span className="sla-child">
      {r.name} <span className="muted small">{fmtObjective(r.objectivePercent)}</span>
    </span>
  );

/** Fig 11.10: one row per SLA × period, newest period first. */
function DepletionTable({ status }: { status: SlaStatusResponse }) {
  type Row = { r: SlaStatusRow; p: SlaPeriod };
  const rows: Row[] = [...status.contractual.periods.keys()]
    .reverse()
    .flatMap((i) => [status.contractual, ...status.children].map((r) => ({ r, p: r.periods[i]! })));
  return (
    <DataTable
      scroll
      label="SLA error budget depletion"
      rows={rows}
      rowKey={(x) => `${x.r.id}-${x.p.start}`}
      rowProps={(x) => ({
        "data-testid": "sla-depletion-row",
        className: x.r.kind === "endpoint" ? "sla-child-row" : undefined,
      })}
      columns={[
        {
          header: "Period",
          className: "nowrap",
          cell: (x) => periodLabel(x.p) + (x.p.complete ? "" : " (so far)"),
        },
        { header: "SLA", cell: (x) => slaCell(x.r) },
        { header: "Type", cell: (x) => (x.r.kind === "contractual" ? "Contractual" : "Endpoint-level") },
        { header: "Service", cell: (x) => x.r.service ?? "–" },
        { header: "Endpoint", className: "nowrap", cell: (x) => x.r.endpoint ?? "–" },
        { header: "SLI", cell: (x) => sliLabel(x.r.sli) },
        { header: "Budget left", num: true, cell: (x) => fmtBudget(x.p.remainingAtEnd) },
        { header: "Avg speed (%/h)", num: true, cell: (x) => fmtSpeed(x.p.averageSpeedPercentPerHour) },
        { header: "Highest speed (%/h)", num: true, cell: (x) => fmtSpeed(x.p.maxSpeedPercentPerHour) },
        {
          header: "Ran out early",
          cell: (x) =>
            x.p.exhausted ? <StatusBadge tone="firing">yes</StatusBadge> : <span className="muted">no</span>,
        },
      ]}
    />
  );
}

function AdherenceBadge({ p }: { p: SlaPeriod | undefined }) {
  if (!p || p.adherence === null) return <span className="muted">no data</span>;
  return (
    <StatusBadge tone={p.adherence === "broken" ? "exhausted" : "healthy"}>
      {p.adherence === "broken" ? "Broken" : "Fulfilled"}
      {p.complete ? "" : " so far"}
    </StatusBadge>
  );
}

/** Fig 11.11: contractual row on top, the endpoint-level SLAs indented beneath; a broken contractual period names its cause. */
function AdherenceTable({ status }: { status: SlaStatusResponse }) {
  const names = new Map(status.children.map((c) => [c.id, `${c.service} ${c.endpoint}`]));
  const periods = status.contractual.periods;
  const columns: Column<SlaStatusRow>[] = [
    { header: "SLA", cell: (r) => slaCell(r) },
    {
      header: "Endpoint",
      className: "nowrap",
      cell: (r) => (r.endpoint ? `${r.service} ${r.endpoint}` : "–"),
    },
    ...periods.map((p, i): Column<SlaStatusRow> => ({
      key: p.start,
      header: periodLabel(p),
      cell: (r) => {
        const cell = r.periods[i];
        const causes = r.kind === "contractual" ? (cell?.brokenChildren ?? []) : [];
        return (
          <>
            <AdherenceBadge p={cell} />
            {causes.length > 0 && (
              <div className="small sla-cause" data-testid="sla-attribution">
                broken with {causes.map((c) => names.get(c) ?? c).join(", ")}
              </div>
            )}
          </>
        );
      },
    })),
  ];
  return (
    <DataTable
      scroll
      label="SLA adherence"
      rows={[status.contractual, ...status.children]}
      rowKey={(r) => r.id}
      rowProps={(r) => ({
        "data-testid": "sla-adherence-row",
        className: r.kind === "endpoint" ? "sla-child-row" : undefined,
      })}
      columns={columns}
    />
  );
}

/** Each tier's objective judged on the contractual requests. */
function TierTable({ status }: { status: SlaStatusResponse }) {
  type Tier = SlaStatusResponse["tiers"][number];
  return (
    <DataTable
      label="SLA adherence per tier"
      rows={status.tiers}
      rowKey={(t) => t.name}
      columns={[
        { header: "Tier", cell: (t: Tier) => `${t.name} ${fmtObjective(t.objectivePercent)}` },
        ...status.contractual.periods.map((p, i): Column<Tier> => ({
          key: p.start,
          header: periodLabel(p),
          cell: (t) => {
            const c = t.periods[i];
            return (
              <>
                {c?.adherence ? (
                  <StatusBadge tone={c.adherence === "broken" ? "exhausted" : "healthy"}>
                    {c.adherence === "broken" ? "Broken" : "Fulfilled"}
                  </StatusBadge>
                ) : (
                  <span className="muted">no data</span>
                )}{" "}
                <span className="muted small">{fmtBudget(c?.remainingAtEnd ?? null)} left</span>
              </>
            );
          },
        })),
      ]}
    />
  );
}
