import { describedBy, FormField } from "../forms/form-field";

/** "… at position 9" of the API's filter errors → 9 (1-based), or null. */
export function errorPosition(message: string | undefined): number | null {
  const m = message ? /at position (\d+)/.exec(message) : null;
  return m ? Number(m[1]) : null;
}

/** A ratio SLI's filter: its text, a caret under the character where the API's parser stopped, and its error. */
export function FilterField({
  id,
  label,
  value,
  error,
  hint,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint: string;
  onChange: (v: string) => void;
}) {
  const position = errorPosition(error);
  return (
    <FormField label={label} error={error} hint={hint} htmlFor={id}>
      <input
        id={id}
        className="code"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...describedBy(id, error)}
      />
      {position !== null && (
        <pre className="filter-caret" aria-hidden="true" data-testid={`${id}-caret`}>
          {value}
          {"\n"}
          {" ".repeat(Math.max(0, position - 1))}^
        </pre>
      )}
    </FormField>
  );
}

/** The filter language in short: fields, operators, and an example. */
export function FilterSyntaxHelp() {
  return (
    <details className="syntax-help">
      <summary>Filter syntax</summary>
      <p>
        Fields: <code>status</code>, <code>method</code>, <code>route</code>, <code>region</code>,{" "}
        <code>durationMs</code>. Operators: <code>= != &lt; &lt;= &gt; &gt;=</code>, <code>in (…)</code>,{" "}
        <code>not in (…)</code>, combined with <code>and</code>, <code>or</code>, <code>not</code> and
        parentheses. Text is in double quotes.
      </p>
      <p>
        Example: good <code>status &lt; 500 and durationMs &lt;= 800</code> of valid{" "}
        <code>route != &quot;/healthz&quot;</code>.
      </p>
    </details>
  );
}
