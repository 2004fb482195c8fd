import type { SloResponse } from "@burnrate/contracts";
import { Link, useParams } from "react-router";
import { errorMessage, RANGES, useSeries, useSlo, useSloAlerts, useSloVersions, useStatus } from "../../api";
import { ChoiceSelect, choicesOf } from "../../components/choice-select";
import { PageHeader } from "../../components/page-header";
import { useUrlState } from "../../components/url-state";
import { AlertHistory } from "./alert-history";
import { BudgetChart, BurnRateChart, SliChart } from "./charts";
import { StatusKpis } from "./status-kpis";
import { VersionHistory } from "./version-history";

const RANGE_CHOICES = [
  ["6h", "last 6 hours"],
  ["1d", "last 24 hours"],
  ["7d", "last 7 days"],
  ["period", "current period"],
  ["3p", "last 3 periods"],
] as const;

/** One SLO: its status now, budget, SLI and burn-rate charts over a range, alerts and versions. */
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
  const series = useSeries(id, region, range in RANGES ? range : "period", periodMs);
  const versions = useSloVersions(id);
  const alerts = useSloAlerts(id);
  if (slo.isLoading) return <div className="page muted">Loading…</div>;
  if (slo.error || !slo.data)
    return <div className="page error">SLO not found: {slo.error && errorMessage(slo.error)}</div>;
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
          value={range}
          choices={RANGE_CHOICES}
          onChange={(v) => set({ range: v === "period" ? "" : v })}
        />
        <EditLink s={s} />
      </PageHeader>
      {s.backfillPercent < 100 && (
        <div className="banner" role="status">
          Computing history… {s.backfillPercent}%
          <progress max={100} value={s.backfillPercent} />
        </div>
      )}
      {st && <StatusKpis status={st} />}
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
      <AlertHistory alerts={alerts.data ?? []} />
      <VersionHistory versions={versions.data ?? []} loading={versions.isLoading} />
    </div>
  );
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
