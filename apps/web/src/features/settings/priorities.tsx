import { PRIORITY_LEVELS } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { usePriorities, useSavePriorities } from "../../api";
import { ErrorText } from "../../components/error-text";

/** The org's incident priorities P1–P5 with their criteria (book §9.2); admins edit them. */
export function Priorities() {
  const list = usePriorities();
  const save = useSavePriorities();
  const criteria = new Map((list.data ?? []).map((p) => [p.level, p.criteria]));
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const priorities = PRIORITY_LEVELS.map((level) => ({
      level,
      criteria: String(f.get(level) ?? "").trim(),
    })).filter((p) => p.criteria);
    save.mutate(priorities);
  }
  return (
    <section aria-label="Incident priorities">
      <h2>Incident priorities</h2>
      <p className="muted">
        An SLO has an explicit priority, or its alerts derive one from how fast the budget burns (book Tbl
        9.6) and how little is left when it will run out early (Tbl 9.5); the Slack message says which.
      </p>
      <form className="card card-form priorities-form" onSubmit={submit} aria-label="Priorities">
        {PRIORITY_LEVELS.map((level) => (
          <div className="field" key={level}>
            <label htmlFor={`priority-${level}`}>{level} criteria</label>
            <input
              id={`priority-${level}`}
              name={level}
              defaultValue={criteria.get(level) ?? ""}
              key={`${level}-${criteria.get(level) ?? ""}`}
              aria-label={`${level} criteria`}
            />
          </div>
        ))}
        <ErrorText error={save.error} />
        <div className="actions">
          <button type="submit" disabled={save.isPending}>
            Save priorities (org admins)
          </button>
        </div>
      </form>
    </section>
  );
}
