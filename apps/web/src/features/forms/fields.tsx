import type { HTMLAttributes, ReactNode } from "react";
import { ChoiceOptions, type Choices } from "../../components/choice-select";
import { FormField, describedBy } from "../forms/form-field";
import type { Form, FormValues } from "./use-form";

type StringKey<F> = { [K in keyof F]: F[K] extends string ? K : never }[keyof F] & string;
type BoolKey<F> = { [K in keyof F]: F[K] extends boolean ? K : never }[keyof F] & string;

/** A text input of a form, its label and its error; `error` overrides the field whose error it shows. */
export function TextField<F extends FormValues>({
  form,
  name,
  id,
  label,
  hint,
  placeholder,
  inputMode,
  type = "text",
  errorKey,
  suggestions,
}: {
  form: Form<F>;
  name: StringKey<F>;
  id: string;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
  inputMode?: HTMLAttributes<HTMLInputElement>["inputMode"];
  type?: "text" | "email" | "url" | "datetime-local" | "date";
  errorKey?: string;
  suggestions?: string[];
}) {
  const error = form.errors[errorKey ?? name];
  return (
    <FormField label={label} error={error} hint={hint} htmlFor={id}>
      <input
        id={id}
        type={type}
        value={form.values[name] as string}
        placeholder={placeholder}
        inputMode={inputMode}
        list={suggestions ? `${id}-list` : undefined}
        onChange={(e) => form.set(name, e.target.value as F[typeof name])}
        {...describedBy(id, error)}
      />
      {suggestions && (
        <datalist id={`${id}-list`}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </FormField>
  );
}

/** A select of a form. */
export function SelectField<F extends FormValues>({
  form,
  name,
  id,
  label,
  choices,
  hint,
  errorKey,
}: {
  form: Form<F>;
  name: StringKey<F>;
  id: string;
  label: string;
  choices: Choices;
  hint?: ReactNode;
  errorKey?: string;
}) {
  const error = form.errors[errorKey ?? name];
  return (
    <FormField label={label} error={error} hint={hint} htmlFor={id}>
      <select
        id={id}
        value={form.values[name] as string}
        onChange={(e) => form.set(name, e.target.value as F[typeof name])}
        {...describedBy(id, error)}
      >
        <ChoiceOptions choices={choices} />
      </select>
    </FormField>
  );
}

/** A checkbox of a form. */
export function CheckField<F extends FormValues>({
  form,
  name,
  id,
  label,
}: {
  form: Form<F>;
  name: BoolKey<F>;
  id: string;
  label: string;
}) {
  return (
    <div className="field check">
      <label htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={form.values[name] as boolean}
          onChange={(e) => form.set(name, e.target.checked as F[typeof name])}
        />{" "}
        {label}
      </label>
    </div>
  );
}

/** The form's error that names no field (a conflict, a refusal, the API unreachable). */
export function FormError({ errors }: { errors: Record<string, string> }) {
  return errors.form ? (
    <p role="alert" className="error" data-testid="form-error">
      {errors.form}
    </p>
  ) : null;
}

/** The end of a form: its error that names no field, then the submit button (disabled while it is sent). */
export function FormFooter({
  form,
  children,
}: {
  form: { errors: Record<string, string>; busy: boolean };
  children: ReactNode;
}) {
  return (
    <>
      <FormError errors={form.errors} />
      <div className="actions">
        <button type="submit" disabled={form.busy}>
          {children}
        </button>
      </div>
    </>
  );
}

/** A multi-line text field of a form. */
export function TextAreaField<F extends FormValues>({
  form,
  name,
  id,
  label,
  hint,
  placeholder,
  rows = 4,
}: {
  form: Form<F>;
  name: StringKey<F>;
  id: string;
  label: string;
  hint?: ReactNode;
  placeholder?: string;
  rows?: number;
}) {
  const error = form.errors[name];
  return (
    <FormField label={label} error={error} hint={hint} htmlFor={id}>
      <textarea
        id={id}
        rows={rows}
        value={form.values[name] as string}
        placeholder={placeholder}
        onChange={(e) => form.set(name, e.target.value as F[typeof name])}
        {...describedBy(id, error)}
      />
    </FormField>
  );
}
