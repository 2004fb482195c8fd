import type { SloStatusResponse } from "@burnrate/contracts";
import { fmtBurn } from "../../components/format";

type Tier = SloStatusResponse["tiers"][number];

/** A burn rate, marked ▲ (and bold, and red) when above the tier's threshold: never colour alone. */
function Burn({ rate, factor }: { rate: number | null; factor: number }) {
  if (rate === null) return <span className="muted">no data</span>;
  const above = rate > factor;
  return above ? (
    <span className="above" title="above the threshold">
      {fmtBurn(rate)} ▲
    </span>
  ) : (
    <span title="below the threshold">{fmtBurn(rate)}</span>
  );
}

/**
 * Every alert tier now, as Pyrra shows it: the long and the short window's burn rate against the tier's
 * threshold, and whether it fires (both windows above it).
 */
export function TierTable({ tiers }: { tiers: Tier[] }) {
  return (
    <section className="panel tier-panel" aria-label="Alert tiers">
      <h2>Alert tiers</h2>
      <p className="muted small legend-line">
        ▲ burn above the threshold; a tier fires when both windows are.
      </p>
      {tiers.length === 0 ? (
        <p className="muted">This SLO has no alert tiers.</p>
      ) : (
        <div className="table-scroll">
          <table className="grid tier-table">
            <thead>
              <tr>
                <th>Tier</th>
                <th>Windows</th>
                <th className="num">Long burn</th>
                <th className="num">Short burn</th>
                <th className="num">Threshold</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {tiers.map((t) => (
                <tr key={t.name} data-testid="tier-row" data-tier={t.name}>
                  <td data-label="Tier">
                    {t.name}
                    <div className="muted small">{t.severity}</div>
                  </td>
                  <td data-label="Windows">
                    {t.longWindow}
                    {t.shortWindow ? ` / ${t.shortWindow}` : ""}
                  </td>
                  <td className="num" data-label="Long burn">
                    <Burn rate={t.longBurnRate} factor={t.factor} />
                  </td>
                  <td className="num" data-label="Short burn">
                    {t.shortWindow ? <Burn rate={t.shortBurnRate} factor={t.factor} /> : "–"}
                  </td>
                  <td className="num" data-label="Threshold">
                    {fmtBurn(t.factor)}
                  </td>
                  <td data-label="Status">
                    <span className={t.firing ? "chip bad" : "chip ok"}>
                      {t.firing ? "▲ firing" : "✓ not firing"}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
