import type { SloResponse } from "@burnrate/contracts";
import { Link, useParams } from "react-router";
import {
  RANGES,
  useAlert,
  useDeployments,
  useSeries,
  useService,
  useSlas,
  useSlo,
  useSloAlerts,
  useSloVersions,
  useStatus,
} from "../../api";
import { ChoiceSelect, choicesOf } from "../../components/choice-select";
import { fmtTime } from "../../components/format";
import { PageHeader } from "../../components/page-header";
import { usePageTitle } from "../../components/page-title";
import { QueryState } from "../../components/query-state";
import { useUrlState } from "../../components/url-state";
import { AlertHistory } from "./alert-history";
import { AlertTimeline } from "./alert-timeline";
import { BudgetChart, BurnRateCharts, SliChart } from "./charts";
import { OnCallBar } from "./on-call-bar";
import { pickAlert } from "./on-call";
import { parseZoom, slaLines } from "./to-series";
import { RecentDeployments, SloLinks } from "./slo-links";
import "./slo-page.css";
import { SourceBanner } from "./source-banner";
import { StatusKpis } from "./status-kpis";
import { TierTable } from "./tier-table";
import { SloReviews } from "./slo-reviews";
import { VersionHistory } from "./version-history";

const RANGE_CHOICES = [
  ["6h", "last 6 hours"],
  ["1d", "last 24 hours"],
  ["7d", "last 7 days"],
  ["period", "current period"],
  ["3p", "last 3 periods"],
] as const;

/**
 * One SLO, for whoever is on call first: its alert with Acknowledge and Snooze at the top, the runbook, service,
 * team and dashboard links, its status now and every tier's burn, the alert's timeline and the last deployments;
 * then budget, SLI and per-tier burn-rate charts over a range, alerts and versions.
 */
export function SloPage() {
  const { id = "" } = useParams();
  const { get, set } = useUrlState();
  const region = get("region") || null;
  const slo = useSlo(id);
  const status = useStatus(id, region);
  const range = get("range", "period");
  const periodMs = status.data
    ? Date.parse(status.data.period.end) - Date.parse(status.data.period.start)
    : undefined;
  const zoom = parseZoom(get("from"), get("to"));
  const series = useSeries(id, region, range in RANGES ? range : "period", periodMs, zoom);
  const onZoom = (from: number, to: number) =>
    set({ from: String(Math.floor(from)), to: String(Math.ceil(to)) });
  const versions = useSloVersions(id);
  const alerts = useSloAlerts(id);
  const shown = pickAlert(alerts.data ?? [], region);
  const alertDetail = useAlert(shown?.id ?? null);
  const service = useService(slo.data?.service ?? "");
  const deployments = useDeployments(slo.data?.service ?? "");
  const slas = useSlas({ service: slo.data?.service }, !!slo.data);
  usePageTitle(slo.data?.name);
  if (!slo.data)
    return (
      <QueryState query={slo} what="the SLO" page>
        {() => null}
      </QueryState>
    );
  const s = slo.data;
  const st = status.data;
  return (
    <div className="page">
      <PageHeader
        title={s.name}
        description={
          <>
            {s.sentence} · {s.service} · team {s.team} · {s.budgetingMethod} budgeting
            {s.priority ? ` · ${s.priority}` : ""}
          </>
        }
      >
        <ChoiceSelect
          label="Region"
          value={region ?? ""}
          choices={[["", "all regions"], ...choicesOf(st?.regions ?? [])]}
          onChange={(v) => set({ region: v })}
        />
        <ChoiceSelect
          label="Range"
          value={zoom ? "zoom" : range}
          choices={zoom ? [["zoom", zoomLabel(zoom)], ...RANGE_CHOICES] : RANGE_CHOICES}
          onChange={(v) => set({ range: v === "period" ? "" : v, from: "", to: "" })}
        />
        {zoom && (
          <button type="button" className="secondary" onClick={() => set({ from: "", to: "" })}>
            Reset zoom
          </button>
        )}
        <EditLink s={s} />
      </PageHeader>
      <OnCallBar slo={s} alert={alertDetail.data ?? shown} alerts={alerts.data ?? []} />
      <SloLinks slo={s} service={service.data} region={region} />
      {s.backfillPercent < 100 && (
        <div className="banner" role="status">
          Computing history… {s.backfillPercent}%
          <progress max={100} value={s.backfillPercent} />
        </div>
      )}
      {st?.source && <SourceBanner source={st.source} />}
      {st && <StatusKpis status={st} />}
      <div className="oncall-grid">
        {st && <TierTable tiers={st.tiers} />}
        <AlertTimeline alert={alertDetail.data ?? shown} loading={alertDetail.isLoading} />
        <RecentDeployments
          deployments={deployments.data ?? []}
          region={region}
          loading={deployments.isLoading}
        />
      </div>
      {series.data ? (
        series.data.points.some((p) => p.total > 0) ? (
          <>
            <div className="charts slo-charts">
              <BudgetChart series={series.data} onZoom={onZoom} />
              <SliChart series={series.data} onZoom={onZoom} slas={slaLines(s, slas.data ?? [])} />
            </div>
            <p className="muted small zoom-hint">
              Drag across a chart to zoom in; the range is kept in the URL.
            </p>
            <BurnRateCharts
              onZoom={onZoom}
              series={series.data}
              firing={new Set((st?.tiers ?? []).filter((t) => t.firing).map((t) => t.name))}
            />
          </>
        ) : (
          <div className="empty">
            No traffic in this range yet. Send request logs to <code>POST /api/v1/ingest/requests</code>, or
            pick a longer range.
          </div>
        )
      ) : (
        <div className="muted">Loading graphs…</div>
      )}
      <AlertHistory alerts={alerts.data ?? []} />
      <SloReviews slo={s} />
      <VersionHistory versions={versions.data ?? []} loading={versions.isLoading} />
    </div>
  );
}

/** The zoomed range in the Range picker: "Dec 6, 01:10 – Dec 6, 02:40". */
function zoomLabel(z: { from: number; to: number }): string {
  return `${fmtTime(z.from)} – ${fmtTime(z.to)}`;
}

function EditLink({ s }: { s: SloResponse }) {
  return s.kind === "explicit" ? (
    <Link className="button" to={`/slos/${s.id}/edit`}>
      Edit
    </Link>
  ) : (
    <span className="muted small">default SLO: edit the service&apos;s defaults</span>
  );
}
