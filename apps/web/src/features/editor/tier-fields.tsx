import { describedBy, FormField } from "../forms/form-field";
import type { FieldErrors, SloForm } from "./form";
import { DEFAULT_TIER_NAMES, workbookRows, type TierRow } from "./tiers-model";

const TIER_WORDS: Record<string, string> = {
  "fast-page": "fast page: 2% of the budget in 1 h",
  "slow-page": "slow page: 5% in 6 h",
  "fast-ticket": "fast ticket: 10% in 1 d",
  "slow-ticket": "slow ticket: 10% in 3 d",
};

/** The alert tiers: the workbook's four (each can be turned off), or a custom set as rows. */
export function TierFields({
  form,
  set,
  errors,
}: {
  form: SloForm;
  set: <K extends keyof SloForm>(k: K, v: SloForm[K]) => void;
  errors: FieldErrors;
}) {
  const setRow = (i: number, patch: Partial<TierRow>) =>
    set(
      "tiers",
      form.tiers.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  const cell = (
    i: number,
    k: "name" | "longWindowMinutes" | "shortWindowMinutes" | "budgetPercent",
    label: string,
  ) => {
    const path = `alerting.tiers.${i}.${k}`;
    const id = `f-tier-${i}-${k}`;
    return (
      <FormField label={label} error={errors[path]} htmlFor={id}>
        <input
          id={id}
          value={form.tiers[i]![k]}
          inputMode={k === "name" ? undefined : "decimal"}
          onChange={(e) => setRow(i, { [k]: e.target.value })}
          {...describedBy(id, errors[path])}
        />
      </FormField>
    );
  };
  return (
    <fieldset className="row-card" aria-label="Alert tiers">
      <legend>Alert tiers</legend>
      <div className="field check">
        <label htmlFor="f-tiers-default">
          <input
            id="f-tiers-default"
            type="radio"
            name="tiers-mode"
            checked={form.tiersMode === "default"}
            onChange={() => set("tiersMode", "default")}
          />{" "}
          The SRE Workbook's tiers
        </label>
        <label htmlFor="f-tiers-custom">
          <input
            id="f-tiers-custom"
            type="radio"
            name="tiers-mode"
            checked={form.tiersMode === "custom"}
            onChange={() => set("tiersMode", "custom")}
          />{" "}
          My own tiers
        </label>
      </div>
      {form.tiersMode === "default" ? (
        DEFAULT_TIER_NAMES.map((name) => (
          <div className="field check" key={name}>
            <label htmlFor={`f-tier-on-${name}`}>
              <input
                id={`f-tier-on-${name}`}
                type="checkbox"
                checked={!form.disabledTiers.includes(name)}
                onChange={(e) =>
                  set(
                    "disabledTiers",
                    e.target.checked
                      ? form.disabledTiers.filter((x) => x !== name)
                      : [...form.disabledTiers, name],
                  )
                }
              />{" "}
              {TIER_WORDS[name] ?? name}
            </label>
          </div>
        ))
      ) : (
        <>
          {errors["alerting.tiers"] && <p className="field-error">{errors["alerting.tiers"]}</p>}
          {form.tiers.map((r, i) => (
            <div className="consequence" key={i} data-testid="tier-row">
              <div className="form-row">
                {cell(i, "name", "Tier name")}
                <FormField label="Severity" htmlFor={`f-tier-${i}-severity`}>
                  <select
                    id={`f-tier-${i}-severity`}
                    value={r.severity}
                    onChange={(e) => setRow(i, { severity: e.target.value as TierRow["severity"] })}
                  >
                    <option value="page">page</option>
                    <option value="ticket">ticket</option>
                  </select>
                </FormField>
              </div>
              <div className="form-row">
                {cell(i, "longWindowMinutes", "Long window (min)")}
                {cell(i, "shortWindowMinutes", "Short window (min)")}
                {cell(i, "budgetPercent", "Budget (%)")}
              </div>
              <div className="actions">
                <label>
                  <input
                    type="checkbox"
                    checked={r.enabled}
                    onChange={(e) => setRow(i, { enabled: e.target.checked })}
                  />{" "}
                  on
                </label>
                <button
                  type="button"
                  className="text-button"
                  onClick={() =>
                    set(
                      "tiers",
                      form.tiers.filter((_, j) => j !== i),
                    )
                  }
                >
                  Remove tier
                </button>
              </div>
            </div>
          ))}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              disabled={form.tiers.length >= 10}
              onClick={() =>
                set("tiers", [
                  ...form.tiers,
                  {
                    name: `tier-${form.tiers.length + 1}`,
                    severity: "ticket",
                    longWindowMinutes: "60",
                    shortWindowMinutes: "",
                    budgetPercent: "5",
                    factor: "",
                    enabled: true,
                  },
                ])
              }
            >
              Add a tier
            </button>
            <button type="button" className="text-button" onClick={() => set("tiers", workbookRows())}>
              Start from the workbook&apos;s
            </button>
          </div>
          <p className="muted small">
            A tier fires when the long window spends its share of the period&apos;s budget and the short
            window (empty: none) still burns as fast.
          </p>
        </>
      )}
      <>
        {(["page", "ticket"] as const).map((sev) => {
          const k = sev === "page" ? "slackPage" : "slackTicket";
          const path = `alerting.slackChannels.${sev}`;
          return (
            <FormField
              key={sev}
              label={sev === "page" ? "Slack channel for pages" : "Slack channel for tickets"}
              htmlFor={`f-slack-${sev}`}
              error={errors[path]}
            >
              <input
                id={`f-slack-${sev}`}
                value={form[k]}
                placeholder="the team's channel"
                onChange={(e) => set(k, e.target.value)}
                {...describedBy(`f-slack-${sev}`, errors[path])}
              />
            </FormField>
          );
        })}
      </>
    </fieldset>
  );
}
