import { useState } from "react";
import type { z } from "zod";
import { errorsFromApi, errorsFromIssues, type FieldErrors, type FieldLabels } from "./plain-errors";

export type FormValues = Record<string, string | boolean>;

/**
 * A form's typed values and its errors at the field. Changing a field clears its error (and the form's own);
 * `submit` checks the body with the API's contract first, then sends it, and marks the fields the API refused.
 */
export function useForm<F extends FormValues>(initial: F, labels: FieldLabels) {
  const [values, setValues] = useState<F>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  function set<K extends keyof F>(k: K, v: F[K]) {
    setValues((f) => ({ ...f, [k]: v }));
    setErrors((e) => {
      const { [k as string]: _field, form: _form, ...rest } = e;
      return rest;
    });
  }
  /** Validates `body` with `schema`, then runs `send`; true when it was sent and accepted. */
  async function submit<S extends z.ZodType>(
    schema: S,
    body: unknown,
    send: (valid: z.input<S>) => Promise<unknown>,
  ): Promise<boolean> {
    const checked = schema.safeParse(body);
    if (!checked.success) {
      setErrors(errorsFromIssues(checked.error.issues, labels));
      return false;
    }
    setBusy(true);
    try {
      // the body as typed: the API applies the defaults
      await send(body as z.input<S>);
      setErrors({});
      return true;
    } catch (e) {
      setErrors(errorsFromApi(e, labels));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { values, set, errors, setErrors, busy, submit, reset: () => setValues(initial) };
}
export type Form<F extends FormValues> = ReturnType<typeof useForm<F>>;
