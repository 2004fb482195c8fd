import type { EscalationPolicyResponse, ScheduleResponse } from "@burnrate/contracts";
import { useState } from "react";
import { useDeleteEscalationPolicy } from "../../api";
import { PolicyEditor } from "./policy-editor";

/** A timeout in the words people use: "90 s", "30 min", "2 h 30 min". */
export function formatTimeout(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ""}`;
}

/**
 * Every escalation policy: its steps in order, when each is reached, and how it repeats. Edit opens the editor
 * filled with the policy in place of its card.
 */
export function PoliciesList({
  policies,
  schedules,
}: {
  policies: EscalationPolicyResponse[];
  schedules: ScheduleResponse[];
}) {
  const remove = useDeleteEscalationPolicy();
  const [editing, setEditing] = useState<string | null>(null);
  if (policies.length === 0)
    return <div className="empty">No escalation policies yet: alerts go to the team's channel only.</div>;
  return (
    <>
      {policies.map((p) => {
        let at = 0;
        if (editing === p.id)
          return (
            <section key={p.id} className="policy-card" aria-label={`Escalation policy ${p.name}`}>
              <PolicyEditor
                schedules={schedules}
                policy={p}
                onCreated={() => setEditing(null)}
                onCancel={() => setEditing(null)}
              />
            </section>
          );
        return (
          <section key={p.id} className="card policy-card" aria-label={`Escalation policy ${p.name}`}>
            <div className="oncall-card-head">
              <h2>{p.name}</h2>
              <span className="muted">
                team {p.team}
                {p.teamDefault ? " (its policy)" : ""} · repeat {p.repeat} · tickets: {p.ticket}
              </span>
              <button type="button" onClick={() => setEditing(p.id)} aria-label={`Edit ${p.name}`}>
                Edit
              </button>
              <button type="button" onClick={() => remove.mutate(p.id)} aria-label={`Delete ${p.name}`}>
                Delete
              </button>
            </div>
            <ol className="policy-chain">
              {p.steps.map((s, i) => {
                const starts = at;
                at += s.ackTimeoutSeconds;
                return (
                  <li key={i}>
                    <strong>{s.label}</strong>{" "}
                    <span className="muted">
                      at +{formatTimeout(starts)}, waits {formatTimeout(s.ackTimeoutSeconds)}
                    </span>
                  </li>
                );
              })}
            </ol>
          </section>
        );
      })}
    </>
  );
}
