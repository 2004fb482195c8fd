/** `[value, text]` pairs; `Object.entries` of a value → text record fits. */
export type Choices = readonly (readonly [value: string, text: string])[];

/** Plain values shown as themselves. */
export const choicesOf = (values: readonly string[]): Choices => values.map((v) => [v, v] as const);

/** A labelled drop-down of a page's filter row (team, region, sort, time window…). */
export function ChoiceSelect({
  label,
  ariaLabel = label,
  value,
  choices,
  onChange,
}: {
  label: string;
  /** the accessible name, when it differs from the visible label */
  ariaLabel?: string;
  value: string;
  choices: Choices;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select aria-label={ariaLabel} value={value} onChange={(e) => onChange(e.target.value)}>
        <ChoiceOptions choices={choices} />
      </select>
    </label>
  );
}

/** The options of a drop-down. */
export function ChoiceOptions({ choices }: { choices: Choices }) {
  return choices.map(([v, text]) => (
    <option key={v} value={v}>
      {text}
    </option>
  ));
}
