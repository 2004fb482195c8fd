import type { ScheduleResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useCreateEscalationPolicy, useTeams } from "../../api";
import { ErrorText } from "../../components/error-text";
import { PolicyStepRow } from "./policy-step-row";
import { moveStep, newStep, toStepBody, type DraftStep } from "./policy-steps";
import { TeamSelect } from "./team-select";

/**
 * A new escalation policy: ordered steps (arrows move them), each with its target and the minutes it waits for
 * an acknowledgement before the next, and how many times the whole chain repeats.
 */
export function PolicyEditor({
  schedules,
  onCreated,
}: {
  schedules: ScheduleResponse[];
  onCreated: () => void;
}) {
  const teams = useTeams();
  const create = useCreateEscalationPolicy();
  const [name, setName] = useState("");
  const [team, setTeam] = useState("");
  const [repeat, setRepeat] = useState("0");
  const [ticket, setTicket] = useState<"notify" | "escalate" | "none">("notify");
  const [teamDefault, setTeamDefault] = useState(true);
  const [steps, setSteps] = useState<DraftStep[]>([newStep("routed")]);
  const update = (i: number, s: DraftStep) => setSteps((all) => all.map((x, j) => (j === i ? s : x)));
  function submit(e: FormEvent) {
    e.preventDefault();
    create.reset();
    create
      .mutateAsync({
        name,
        team: team || teams.data?.[0]?.slug || "",
        repeat: Number(repeat),
        ticket,
        teamDefault,
        steps: steps.map(toStepBody),
      })
      .then(onCreated, () => {}); // shown from create.error
  }
  return (
    <form className="form" onSubmit={submit} aria-label="New escalation policy">
      <h3>New escalation policy</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor="p-name">Name</label>
          <input id="p-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        <TeamSelect id="p-team" teams={teams.data} value={team} onChange={setTeam} />
      </div>
      <ol className="policy-steps" aria-label="Steps">
        {steps.map((s, i) => (
          <PolicyStepRow
            key={i}
            index={i}
            count={steps.length}
            step={s}
            schedules={schedules}
            teams={teams.data ?? []}
            onChange={(x) => update(i, x)}
            onMove={(by) => setSteps((all) => moveStep(all, i, by))}
            onRemove={() => setSteps((all) => all.filter((_, j) => j !== i))}
          />
        ))}
      </ol>
      <button type="button" onClick={() => setSteps((all) => [...all, newStep("user")])}>
        Add step
      </button>
      <div className="form-row policy-form-row">
        <div className="field">
          <label htmlFor="p-repeat">Repeat the chain</label>
          <input
            id="p-repeat"
            type="number"
            min={0}
            max={10}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="p-ticket">Tickets</label>
          <select id="p-ticket" value={ticket} onChange={(e) => setTicket(e.target.value as typeof ticket)}>
            <option value="notify">notify the first step only</option>
            <option value="escalate">escalate like a page</option>
            <option value="none">notify nobody</option>
          </select>
        </div>
      </div>
      <span className="muted">
        The chain runs again this many times after the first pass (3 = four passes in all).
      </span>
      <label className="check">
        <input type="checkbox" checked={teamDefault} onChange={(e) => setTeamDefault(e.target.checked)} />
        The team's policy (every SLO of the team without its own)
      </label>
      <ErrorText error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending || steps.length === 0}>
        Create policy
      </button>
    </form>
  );
}
