import type { ReactNode } from "react";

/** A labelled control with its hint, or its error in plain words (announced, and tied to the control). */
export function FormField({
  label,
  error,
  hint,
  htmlFor,
  children,
}: {
  label: string;
  error?: string;
  hint?: ReactNode;
  htmlFor: string;
  children: ReactNode;
}) {
  return (
    <div className={`field ${error ? "invalid" : ""}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {hint && !error && (
        <div className="muted small" id={`${htmlFor}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={`${htmlFor}-error`} role="status" data-testid={`${htmlFor}-error`}>
          {error}
        </div>
      )}
    </div>
  );
}

/** The attributes that tie a control to its FormField's hint or error. */
export function describedBy(id: string, error: string | undefined) {
  return {
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : `${id}-hint`,
  };
}
