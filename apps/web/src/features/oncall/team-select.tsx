import type { TeamResponse } from "@burnrate/contracts";

/** A labelled picker of the org's teams, by name (the value is the team's slug). */
export function TeamSelect({
  id,
  teams,
  value,
  onChange,
}: {
  id: string;
  teams: TeamResponse[] | undefined;
  value: string;
  onChange: (slug: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Team</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {(teams ?? []).map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </select>
    </div>
  );
}
