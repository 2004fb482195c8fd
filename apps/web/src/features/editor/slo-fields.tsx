import type { OverviewResponse, ServiceResponse } from "@burnrate/contracts";
import type { HTMLAttributes, ReactNode } from "react";
import { ChoiceOptions, type Choices } from "../../components/choice-select";
import type { FieldErrors, SloForm } from "./form";
import { describedBy, FormField } from "../forms/form-field";
import { FilterField, FilterSyntaxHelp } from "./filter-field";
import { TierFields } from "./tier-fields";

type TextKey = { [K in keyof SloForm]: SloForm[K] extends string ? K : never }[keyof SloForm];
/** The editor's errors: the form's own, and the API's for the filters (with their position). */
type FieldOptions = {
  error?: string;
  hint?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>["inputMode"];
  placeholder?: string;
};

const PRIORITIES = ["P1", "P2", "P3", "P4", "P5"];

/** The editor's fields; the SLI's and the window's follow-up fields appear for the type chosen. */
export function SloFields({
  form,
  set,
  errors,
  editing,
  services,
  endpoints,
}: {
  form: SloForm;
  set: <K extends keyof SloForm>(k: K, v: SloForm[K]) => void;
  errors: FieldErrors;
  /** an existing SLO: its service is fixed and a reason is required */
  editing: boolean;
  services: OverviewResponse["services"];
  endpoints: ServiceResponse["endpoints"];
}) {
  const input = (k: TextKey, id: string, label: string, o: FieldOptions = {}, suggestions?: ReactNode) => (
    <FormField label={label} error={o.error} hint={o.hint} htmlFor={id}>
      <input
        id={id}
        list={suggestions ? `${id}s` : undefined}
        inputMode={o.inputMode}
        placeholder={o.placeholder}
        value={form[k]}
        onChange={(e) => set(k, e.target.value)}
        {...describedBy(id, o.error)}
      />
      {suggestions && <datalist id={`${id}s`}>{suggestions}</datalist>}
    </FormField>
  );
  const select = (k: TextKey, id: string, label: string, choices: Choices, o: FieldOptions = {}) => (
    <FormField label={label} error={o.error} hint={o.hint} htmlFor={id}>
      <select id={id} value={form[k]} onChange={(e) => set(k, e.target.value as never)}>
        <ChoiceOptions choices={choices} />
      </select>
    </FormField>
  );
  return (
    <>
      <FormField label="Service" error={errors.service} htmlFor="f-service">
        <select
          id="f-service"
          value={form.service}
          disabled={editing}
          onChange={(e) => set("service", e.target.value)}
        >
          <option value="">choose a service…</option>
          {services.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.slug} ({s.team})
            </option>
          ))}
        </select>
      </FormField>
      {input("name", "f-name", "Name", { error: errors.name, placeholder: "Checkout availability" })}
      {input("description", "f-description", "Description", {
        error: errors.description,
        hint: "optional: what users experience when it breaks",
      })}
      <div className="form-row">
        {input("journeyStep", "f-journey", "Journey step", {
          error: errors.journeyStep,
          placeholder: "checkout",
          hint: "optional",
        })}
        {input("customerSegment", "f-segment", "Customer segment", {
          error: errors.customerSegment,
          placeholder: "paying customers",
          hint: "optional",
        })}
      </div>
      {input("runbookUrl", "f-runbook", "Runbook", {
        error: errors.runbookUrl,
        placeholder: "https://wiki.example.com/runbooks/cart",
        hint: "optional: overrides the service's runbook",
      })}
      {input(
        "endpoint",
        "f-endpoint",
        "Endpoint",
        {
          error: errors.endpoint,
          hint: "'METHOD /route', or empty for the whole service",
          placeholder: "GET /cart",
        },
        endpoints.map((x) => <option key={x.id} value={`${x.method} ${x.route}`} />),
      )}
      {select(
        "sliType",
        "f-sli",
        "SLI",
        [
          ["availability", "availability (status not a failure)"],
          ["latency", "latency (faster than a threshold)"],
          ["ratio", "ratio (good requests of valid ones, by filters)"],
          ...(form.sliType === "prometheus"
            ? [
                ["prometheus", "Prometheus (PromQL queries, set through the API or an import)"] as [
                  string,
                  string,
                ],
              ]
            : []),
        ],
        { error: errors.sli },
      )}
      {form.sliType === "prometheus" && (
        <p className="hint" id="f-prom-hint">
          Counted by Prometheus: the worker asks it for sum(increase(…)) over each window. Change the queries
          with the API or a Sloth / Pyrra import.
        </p>
      )}
      {form.sliType === "latency" &&
        input("thresholdMs", "f-threshold", "Threshold (ms)", {
          error: errors["sli.thresholdMs"],
          inputMode: "numeric",
        })}
      {form.sliType === "ratio" && (
        <>
          <FilterField
            id="f-good"
            label="Good requests"
            value={form.good}
            error={errors["sli.good"]}
            hint="which requests count as good"
            onChange={(v) => set("good", v)}
          />
          <FilterField
            id="f-total"
            label="Valid requests"
            value={form.total}
            error={errors["sli.total"]}
            hint="which requests count at all"
            onChange={(v) => set("total", v)}
          />
          <FilterSyntaxHelp />
        </>
      )}
      {input("objectivePercent", "f-objective", "Objective (%)", {
        error: errors.objectivePercent,
        inputMode: "decimal",
      })}
      {select(
        "windowType",
        "f-window",
        "Window",
        [
          ["rolling", "rolling"],
          ["calendar", "calendar"],
        ],
        { error: errors.window },
      )}
      {form.windowType === "rolling" ? (
        input("days", "f-days", "Days", { error: errors["window.days"], inputMode: "numeric" })
      ) : (
        <>
          {select("period", "f-period", "Period", [
            ["4w", "4 weeks"],
            ["month", "month"],
            ["quarter", "quarter"],
          ])}
          {input("timeZone", "f-tz", "Time zone", {
            error: errors["window.timeZone"],
            hint: "default UTC",
            placeholder: "Europe/Berlin",
          })}
        </>
      )}
      {select("budgetingMethod", "f-method", "Budgeting", [
        ["occurrences", "occurrences (bad requests)"],
        ["timeslices", "timeslices (bad minutes)"],
      ])}
      {select(
        "priority",
        "f-priority",
        "Priority",
        [["", "none"], ...PRIORITIES.map((x) => [x, x] as const)],
        {
          hint: "empty: derived from the burn",
        },
      )}
      <TierFields form={form} set={set} errors={errors} />
      {editing && (
        <FormField
          label="Reason for the change"
          error={errors.reason}
          htmlFor="f-reason"
          hint="required; kept in the version history"
        >
          <textarea
            id="f-reason"
            rows={2}
            value={form.reason}
            onChange={(e) => set("reason", e.target.value)}
            {...describedBy("f-reason", errors.reason)}
          />
        </FormField>
      )}
    </>
  );
}
