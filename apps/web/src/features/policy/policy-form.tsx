import type { PolicyResponse } from "@burnrate/contracts";
import { useMemo, useState, type FormEvent } from "react";
import { usePolicyWrites } from "../../api";
import { describedBy, FormField } from "../forms/form-field";
import { errorsFromApi, errorsWithout, type FieldErrors } from "../forms/plain-errors";
import { useDebounced } from "../editor/use-debounced";
import { ConditionEditor } from "./condition-editor";
import { MeetsNow } from "./meets-now";
import {
  dryRunBody,
  emptyCondition,
  formFromPolicy,
  POLICY_LABELS,
  validatePolicy,
  type ConditionRow,
  type PolicyForm as Form,
} from "./policy-form-model";
import { policyTemplate } from "./policy-template";
import { FormErrorSummary } from "../../components/form-error-summary";

/** The dry run waits for typing to pause this long. */
const DRY_RUN_DEBOUNCE_MS = 400;

type TextKey = "scope" | "purpose" | "escalation" | "nextReviewAt" | "silverBulletsPerYear" | "reason";

/**
 * The policy as a form: its texts, its conditions and their consequences as rows with pickers, checked with the
 * API's contract; beside it, which of the team's SLOs meet the conditions now.
 */
export function PolicyForm({
  team,
  current,
  onDone,
}: {
  team: string;
  current: PolicyResponse | null;
  onDone: () => void;
}) {
  const { put } = usePolicyWrites(team);
  const [form, setForm] = useState<Form>(() => formFromPolicy(current ?? policyTemplate(Date.now())));
  const [errors, setErrors] = useState<FieldErrors>({});
  const setText = (k: TextKey, v: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => errorsWithout(e, k));
  };
  const setCondition = (i: number, row: ConditionRow) => {
    setForm((f) => ({ ...f, conditions: f.conditions.map((c, j) => (j === i ? row : c)) }));
    setErrors((e) => errorsWithout(errorsWithout(e, `conditions.${i}`), "conditions"));
  };
  const removeCondition = (i: number) => {
    setForm((f) => ({ ...f, conditions: f.conditions.filter((_, j) => j !== i) }));
    // the rows after it move up: their errors no longer point at them
    setErrors((e) => errorsWithout(e, "conditions"));
  };
  const addCondition = () =>
    setForm((f) => ({ ...f, conditions: [...f.conditions, emptyCondition(f.conditions.map((c) => c.id))] }));
  const dryRun = useDebounced(
    useMemo(() => dryRunBody(form), [form]),
    DRY_RUN_DEBOUNCE_MS,
  );

  async function save(e: FormEvent) {
    e.preventDefault();
    const v = validatePolicy(form, current?.agreedBy ?? []);
    if (!v.ok) {
      setErrors(v.errors);
      return;
    }
    try {
      await put.mutateAsync(v.body);
      onDone();
    } catch (err) {
      setErrors(errorsFromApi(err, POLICY_LABELS));
    }
  }
  const text = (k: TextKey, label: string, o: { hint?: string; rows?: number; type?: string } = {}) => {
    const id = `p-${k}`;
    return (
      <FormField label={label} error={errors[k]} hint={o.hint} htmlFor={id}>
        {o.rows ? (
          <textarea
            id={id}
            rows={o.rows}
            value={form[k]}
            onChange={(e) => setText(k, e.target.value)}
            {...describedBy(id, errors[k])}
          />
        ) : (
          <input
            id={id}
            type={o.type ?? "text"}
            value={form[k]}
            onChange={(e) => setText(k, e.target.value)}
            {...describedBy(id, errors[k])}
          />
        )}
      </FormField>
    );
  };
  const errorCount = Object.keys(errors).filter((k) => k !== "form").length;
  return (
    <div className="editor policy-editor">
      <form className="form" onSubmit={(e) => void save(e)} noValidate aria-label="Policy form">
        {text("scope", "Scope", { rows: 2, hint: "which services and regions the policy covers" })}
        {text("purpose", "Purpose", { rows: 2 })}
        <h3>Conditions and their consequences</h3>
        {errors.conditions && (
          <p className="field-error" role="status">
            {errors.conditions}
          </p>
        )}
        <div className="rows">
          {form.conditions.map((c, i) => (
            <ConditionEditor
              key={i}
              row={c}
              index={i}
              errors={errors}
              onChange={(row) => setCondition(i, row)}
              onRemove={() => removeCondition(i)}
            />
          ))}
        </div>
        <div>
          <button
            type="button"
            className="secondary"
            onClick={addCondition}
            disabled={form.conditions.length >= 20}
          >
            Add a condition
          </button>
        </div>
        {text("escalation", "Escalation", { rows: 2, hint: "who decides when the team disagrees" })}
        <div className="form-row">
          {text("nextReviewAt", "Next review", { type: "date" })}
          {text("silverBulletsPerYear", "Silver bullets per year", {
            hint: "releases allowed through a freeze",
          })}
        </div>
        {text("reason", "Reason for this change", {
          hint: "kept in the policy's history; a changed text needs new signatures",
        })}
        <FormErrorSummary errorCount={errorCount} formError={errors.form} what="policy" />
        <div className="actions">
          <button type="submit" disabled={put.isPending}>
            {put.isPending ? "Saving…" : "Save policy"}
          </button>
          <button type="button" className="text-button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
      <MeetsNow team={team} body={dryRun} conditions={form.conditions} />
    </div>
  );
}
