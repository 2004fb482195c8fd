import type { ReactNode } from "react";

/** A labelled control of the editor with its hint, or its error once the form was checked. */
export function FormField({
  label,
  error,
  hint,
  htmlFor,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  htmlFor: string;
  children: ReactNode;
}) {
  return (
    <div className={`field ${error ? "invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && <div className="muted small">{hint}</div>}
      {error && (
        <div className="field-error" id={`${htmlFor}-error`} role="status">
          {error}
        </div>
      )}
    </div>
  );
}
