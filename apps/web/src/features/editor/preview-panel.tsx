import type { PreviewResponse } from "@burnrate/contracts";
import { fmtBudgetCounts, fmtPercent } from "../../components/format";
import { Kpi } from "../../components/kpi";
import { Loading } from "../../components/states";
import { BudgetChart, SliChart } from "../slo/charts";
import { previewToSeries } from "./to-series";

/** The proposed SLO over the last 28 days: the guardrail, its figures and the SLO page's charts. */
export function PreviewPanel({
  proposed,
  data: p,
  note,
  refusal,
  busy,
}: {
  /** whether the fields the preview needs are valid */
  proposed: boolean;
  /** the preview of the current settings, or of the last valid ones */
  data: PreviewResponse | undefined;
  /** why what is shown is not (yet) the current settings' preview */
  note: string | null;
  /** the API's refusal that names no field */
  refusal: string | null;
  busy: boolean;
}) {
  return (
    <section className="preview" aria-label="Preview" aria-busy={busy}>
      <h2>Preview: last 28 days</h2>
      {refusal && (
        <p className="error" role="alert">
          The preview failed: {refusal}
        </p>
      )}
      {p && note && (
        <p className="muted small" role="status" data-testid="preview-note">
          {note}
        </p>
      )}
      {!p ? (
        proposed ? (
          <Loading what="the preview" />
        ) : (
          <p className="muted">Choose a service and a valid objective to see the preview.</p>
        )
      ) : (
        <>
          {p.guardrail.stricterThanHistory && (
            <div className="warning" role="alert" data-testid="guardrail">
              This objective is stricter than every one of the last {p.guardrail.daysWithData} days with
              traffic (best day {fmtPercent(p.guardrail.bestSli, 3)}): the SLO would be broken from the start
              and page constantly. Start from what the service achieves and tighten it later (book §6.6.2).
            </div>
          )}
          <PreviewKpis p={p} busy={busy} />
          {p.points.some((x) => x.total > 0) ? (
            <div className="charts one">
              <SliChart series={previewToSeries(p)} />
              <BudgetChart series={previewToSeries(p)} />
            </div>
          ) : (
            <p className="empty">
              No traffic matches this SLI in the last 28 days. Check the endpoint, or send request logs first.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function PreviewKpis({ p, busy }: { p: PreviewResponse; busy: boolean }) {
  const { sli, errorBudget } = p.status;
  return (
    <div className="kpis" aria-busy={busy}>
      <Kpi
        testId="preview-sli"
        label="SLI this period"
        value={fmtPercent(sli.ratio, 3)}
        sub={
          <>
            {sli.good.toLocaleString()} good of {sli.total.toLocaleString()}
          </>
        }
      />
      <Kpi
        testId="preview-budget"
        label="Budget left"
        value={fmtPercent(errorBudget.remainingFraction, 1)}
        sub={fmtBudgetCounts(errorBudget)}
        tone={errorBudget.remainingFraction <= 0 ? "bad" : undefined}
      />
      <Kpi
        testId="preview-pages"
        label="Would have paged"
        value={<>{p.replay.pages}×</>}
        sub={<>and {p.replay.tickets} tickets in 28 days</>}
        tone={p.replay.pages > 0 ? "bad" : undefined}
      />
      <Kpi
        label="Days below objective"
        value={
          <>
            {p.guardrail.daysBelowObjective} / {p.guardrail.daysWithData}
          </>
        }
        sub="days with traffic"
      />
    </div>
  );
}
