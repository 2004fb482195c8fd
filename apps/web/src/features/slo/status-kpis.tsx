import type { SloStatusResponse } from "@burnrate/contracts";
import { fmtBudgetCounts, fmtBurn, fmtExhaustion, fmtPercent } from "../../components/format";
import { Kpi } from "../../components/kpi";

/** The SLO's figures now: SLI and budget of the period, burn rates, time to exhaustion, tiers firing. */
export function StatusKpis({ status: st }: { status: SloStatusResponse }) {
  const firing = st.tiers.filter((t) => t.firing);
  return (
    <section className="kpis" aria-label="Current status">
      <Kpi
        label="SLI this period"
        value={fmtPercent(st.sli.ratio, 3)}
        sub={
          `${st.sli.good.toLocaleString()} good of ${st.sli.total.toLocaleString()}` +
          (st.historyDays === null ? "" : ` · ${st.historyDays.toFixed(1)} days of data so far`)
        }
      />
      <Kpi
        label="Budget left"
        value={fmtPercent(st.errorBudget.remainingFraction, 1)}
        sub={fmtBudgetCounts(st.errorBudget)}
        tone={st.errorBudget.remainingFraction <= 0 ? "bad" : undefined}
      />
      <Kpi
        label="Burn rate 1 h"
        value={fmtBurn(st.burnRates["1h"])}
        sub={`5 m ${fmtBurn(st.burnRates["5m"])} · 6 h ${fmtBurn(st.burnRates["6h"])}`}
      />
      <Kpi
        label="Time to exhaustion"
        value={fmtExhaustion(st.timeToExhaustionHours, st.exhaustion)}
        sub="at the 1 h burn rate"
      />
      <Kpi
        label="Tiers firing"
        value={String(firing.length)}
        sub={firing.map((t) => t.name).join(", ") || "none"}
        tone={firing.length > 0 ? "bad" : undefined}
      />
    </section>
  );
}
