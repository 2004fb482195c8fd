import { POSTMORTEM_DUE_DAYS, PRIORITY_LEVELS } from "@burnrate/contracts";
import type { FormEvent } from "react";
import {
  usePostmortemSettings,
  usePriorities,
  useSavePostmortemSettings,
  useSavePriorities,
} from "../../api";
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

/** Which priorities require a postmortem when their incident is resolved (book §9.5.1); admins choose. */
export function PostmortemPriorities() {
  const current = usePostmortemSettings();
  const save = useSavePostmortemSettings();
  const chosen = current.data?.requiredPriorities ?? [];
  const dueDays = current.data?.dueDays ?? POSTMORTEM_DUE_DAYS;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    save.mutate({
      requiredPriorities: PRIORITY_LEVELS.filter((level) => f.get(`pm-${level}`) === "on"),
      dueDays: Number(f.get("pm-due-days")),
    });
  }
  return (
    <section aria-label="Postmortems">
      <h2>Postmortems</h2>
      <p className="muted">
        Resolving an incident of these priorities creates its postmortem, due {dueDays} days later. Any other
        incident gets one on demand.
      </p>
      <form className="card" onSubmit={submit} aria-label="Priorities that require a postmortem">
        <fieldset className="pm-priorities" key={chosen.join(",")}>
          <legend>Priorities that require a postmortem</legend>
          {PRIORITY_LEVELS.map((level) => (
            <label key={level}>
              <input type="checkbox" name={`pm-${level}`} defaultChecked={chosen.includes(level)} />
              {level}
            </label>
          ))}
        </fieldset>
        <div className="field" key={`due-${dueDays}`}>
          <label htmlFor="pm-due-days">Postmortem due (days after resolution)</label>
          <input
            id="pm-due-days"
            type="number"
            name="pm-due-days"
            min={1}
            max={60}
            step={1}
            required
            defaultValue={dueDays}
          />
        </div>
        <ErrorText error={save.error ?? current.error} />
        {save.isSuccess && (
          <p className="muted" role="status">
            Saved.
          </p>
        )}
        <button type="submit" disabled={save.isPending || !current.data}>
          Save postmortem priorities (org admins)
        </button>
      </form>
    </section>
  );
}
