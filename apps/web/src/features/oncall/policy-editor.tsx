import type { EscalationPolicyResponse, ScheduleResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useCreateEscalationPolicy, usePatchEscalationPolicy, useTeams, useUserGroups } from "../../api";
import { ErrorText } from "../../components/error-text";
import { PolicyStepRow } from "./policy-step-row";
import { fromStep, moveStep, newStep, toStepBody, type DraftStep } from "./policy-steps";
import { TeamSelect } from "./team-select";

/**
 * A new escalation policy, or an existing one (`policy`) to change: ordered steps (arrows move them), each with
 * its target and the minutes it waits for an acknowledgement before the next, and how many times the whole
 * chain repeats. A policy's team cannot change.
 */
export function PolicyEditor({
  schedules,
  policy,
  onCreated,
  onCancel,
}: {
  schedules: ScheduleResponse[];
  policy?: EscalationPolicyResponse;
  onCreated: () => void;
  onCancel?: () => void;
}) {
  const teams = useTeams();
  const groups = useUserGroups();
  const create = useCreateEscalationPolicy();
  const patch = usePatchEscalationPolicy();
  const save = policy ? patch : create;
  const [name, setName] = useState(policy?.name ?? "");
  const [team, setTeam] = useState(policy?.team ?? "");
  const [repeat, setRepeat] = useState(String(policy?.repeat ?? 0));
  const [ticket, setTicket] = useState<"notify" | "escalate" | "none">(policy?.ticket ?? "notify");
  const [teamDefault, setTeamDefault] = useState(policy?.teamDefault ?? true);
  const [steps, setSteps] = useState<DraftStep[]>(policy ? policy.steps.map(fromStep) : [newStep("routed")]);
  const update = (i: number, s: DraftStep) => setSteps((all) => all.map((x, j) => (j === i ? s : x)));
  function submit(e: FormEvent) {
    e.preventDefault();
    save.reset();
    const fields = { name, repeat: Number(repeat), ticket, teamDefault, steps: steps.map(toStepBody) };
    const done = policy
      ? patch.mutateAsync({ id: policy.id, body: fields })
      : create.mutateAsync({ ...fields, team: team || teams.data?.[0]?.slug || "" });
    done.then(onCreated, () => {}); // shown from save.error
  }
  const title = policy ? `Edit ${policy.name}` : "New escalation policy";
  const idp = policy ? "pe" : "p";
  return (
    <form className="form" onSubmit={submit} aria-label={policy ? "Edit escalation policy" : title}>
      <h3>{title}</h3>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${idp}-name`}>Name</label>
          <input id={`${idp}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
        </div>
        {policy ? (
          <div className="field">
            <span className="muted">team {policy.team}</span>
          </div>
        ) : (
          <TeamSelect id="p-team" teams={teams.data} value={team} onChange={setTeam} />
        )}
      </div>
      <ol className="policy-steps" aria-label="Steps">
        {steps.map((s, i) => (
          <PolicyStepRow
            key={i}
            idPrefix={policy ? "edit-" : ""}
            index={i}
            count={steps.length}
            step={s}
            schedules={schedules}
            teams={teams.data ?? []}
            groups={groups.data ?? []}
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
          <label htmlFor={`${idp}-repeat`}>Repeat the chain</label>
          <input
            id={`${idp}-repeat`}
            type="number"
            min={0}
            max={10}
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${idp}-ticket`}>Tickets</label>
          <select
            id={`${idp}-ticket`}
            value={ticket}
            onChange={(e) => setTicket(e.target.value as typeof ticket)}
          >
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
      <ErrorText error={save.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || steps.length === 0}>
          {policy ? "Save policy" : "Create policy"}
        </button>
        {onCancel && (
          <button type="button" className="text-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
