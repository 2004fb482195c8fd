import type { ReactNode } from "react";
import { ChoiceOptions } from "../../components/choice-select";
import { FormField, describedBy } from "../forms/form-field";
import type { FieldErrors } from "../forms/plain-errors";
import {
  CONDITION_TYPES,
  CONSEQUENCE_TYPES,
  emptyConsequence,
  type ConditionRow,
  type ConsequenceRow,
} from "./policy-form-model";

/** A labelled input of a row; `path` is its field path, which its id and its error follow. */
function RowInput({
  path,
  label,
  value,
  errors,
  onChange,
  hint,
  placeholder,
  inputMode,
}: {
  path: string;
  label: string;
  value: string;
  errors: FieldErrors;
  onChange: (v: string) => void;
  hint?: ReactNode;
  placeholder?: string;
  inputMode?: "decimal" | "numeric";
}) {
  const id = `p-${path.replace(/\./g, "-")}`;
  return (
    <FormField label={label} error={errors[path]} hint={hint} htmlFor={id}>
      <input
        id={id}
        value={value}
        placeholder={placeholder}
        inputMode={inputMode}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(id, errors[path])}
      />
    </FormField>
  );
}

function RowSelect({
  path,
  label,
  value,
  choices,
  onChange,
}: {
  path: string;
  label: string;
  value: string;
  choices: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
}) {
  const id = `p-${path.replace(/\./g, "-")}`;
  return (
    <FormField label={label} htmlFor={id}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <ChoiceOptions choices={choices} />
      </select>
    </FormField>
  );
}

/** One condition of the policy: its type with the figures it needs, and its consequences as rows. */
export function ConditionEditor({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: ConditionRow;
  index: number;
  errors: FieldErrors;
  onChange: (row: ConditionRow) => void;
  onRemove: () => void;
}) {
  const path = `conditions.${index}`;
  const set = (patch: Partial<ConditionRow>) => onChange({ ...row, ...patch });
  const setConsequence = (i: number, q: ConsequenceRow) =>
    set({ consequences: row.consequences.map((x, j) => (j === i ? q : x)) });
  return (
    <fieldset className="row-card" data-testid="condition-form-row" aria-label={`Condition ${index + 1}`}>
      <div className="row-head">
        <strong>When</strong>
        <span className="spacer" />
        <button
          type="button"
          className="secondary"
          onClick={onRemove}
          aria-label={`Remove condition ${index + 1}`}
        >
          Remove
        </button>
      </div>
      <div className="form-row">
        <RowSelect
          path={`${path}.type`}
          label="Condition"
          value={row.type}
          choices={CONDITION_TYPES}
          onChange={(v) => set({ type: v as ConditionRow["type"] })}
        />
        {(row.type === "consumed" || row.type === "burned_within") && (
          <RowInput
            path={`${path}.percent`}
            label="Percent of the budget"
            value={row.percent}
            errors={errors}
            inputMode="decimal"
            onChange={(v) => set({ percent: v })}
          />
        )}
        {row.type === "burned_within" && (
          <RowInput
            path={`${path}.hours`}
            label="Within hours"
            value={row.hours}
            errors={errors}
            inputMode="decimal"
            onChange={(v) => set({ hours: v })}
          />
        )}
        <RowInput
          path={`${path}.id`}
          label="Condition name"
          value={row.id}
          errors={errors}
          hint="short, unique: enactments and the gate quote it"
          onChange={(v) => set({ id: v })}
        />
      </div>
      {row.type === "manual" && (
        <RowInput
          path={`${path}.text`}
          label="What people watch for"
          value={row.text}
          errors={errors}
          placeholder="An outage needs a postmortem"
          onChange={(v) => set({ text: v })}
        />
      )}
      <strong>Then</strong>
      {row.consequences.length === 0 && (
        <p className="muted small">No consequence: the condition is only recorded.</p>
      )}
      {row.consequences.map((q, i) => {
        const qp = `${path}.consequences.${i}`;
        const setQ = (patch: Partial<ConsequenceRow>) => setConsequence(i, { ...q, ...patch });
        return (
          <div className="consequence" key={i} data-testid="consequence-row">
            <div className="form-row">
              <RowSelect
                path={`${qp}.type`}
                label="Consequence"
                value={q.type}
                choices={CONSEQUENCE_TYPES}
                onChange={(v) => setQ({ type: v as ConsequenceRow["type"] })}
              />
              {q.type === "release_freeze" && (
                <RowInput
                  path={`${qp}.regions`}
                  label="Regions"
                  value={q.regions}
                  errors={{ ...errors, [`${qp}.regions`]: regionError(errors, qp) ?? "" }}
                  hint="comma-separated; empty: every region"
                  placeholder="prod-eu, prod-us"
                  onChange={(v) => setQ({ regions: v })}
                />
              )}
              {q.type === "notify" && (
                <RowInput
                  path={`${qp}.channel`}
                  label="Slack channel"
                  value={q.channel}
                  errors={errors}
                  hint="empty: the team's channel"
                  onChange={(v) => setQ({ channel: v })}
                />
              )}
              {(q.type === "work_item" || q.type === "manual") && (
                <RowInput
                  path={`${qp}.text`}
                  label="What to do"
                  value={q.text}
                  errors={errors}
                  onChange={(v) => setQ({ text: v })}
                />
              )}
              {q.type === "work_item" && (
                <RowInput
                  path={`${qp}.webhookUrl`}
                  label="Webhook"
                  value={q.webhookUrl}
                  errors={errors}
                  hint="optional: where the work item is posted"
                  onChange={(v) => setQ({ webhookUrl: v })}
                />
              )}
            </div>
            <div>
              <button
                type="button"
                className="text-button"
                onClick={() => set({ consequences: row.consequences.filter((_, j) => j !== i) })}
              >
                Remove this consequence
              </button>
            </div>
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="secondary"
          onClick={() => set({ consequences: [...row.consequences, emptyConsequence()] })}
        >
          Add a consequence
        </button>
      </div>
    </fieldset>
  );
}

/** A freeze's regions are checked one by one; the first bad one is shown at the regions field. */
function regionError(errors: FieldErrors, qp: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(`${qp}.regions`));
  return key ? errors[key] : undefined;
}
