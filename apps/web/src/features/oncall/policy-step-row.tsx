import type { ScheduleResponse, TeamResponse, UserGroupResponse } from "@burnrate/contracts";
import type { DraftStep } from "./policy-steps";

const POSITIONS = [
  ["main", "Main"],
  ["backup", "Backup"],
  ["backup2", "Backup 2"],
] as const;

/** One step of the editor: its target picker, its timeout, and arrows to move it. */
export function PolicyStepRow(p: {
  /** Keeps the fields' ids apart when two editors are open at once. */
  idPrefix?: string;
  index: number;
  count: number;
  step: DraftStep;
  schedules: ScheduleResponse[];
  teams: TeamResponse[];
  groups: UserGroupResponse[];
  onChange: (s: DraftStep) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { step: s, index: i } = p;
  const id = (what: string) => `${p.idPrefix ?? ""}step-${i}-${what}`;
  const set = (patch: Partial<DraftStep>) => p.onChange({ ...s, ...patch });
  return (
    <li className="policy-step" aria-label={`Step ${i + 1}`}>
      <span className="policy-step-n">{i + 1}</span>
      <div className="field">
        <label htmlFor={id("kind")}>Notify</label>
        <select
          id={id("kind")}
          value={s.kind}
          onChange={(e) => set({ kind: e.target.value as DraftStep["kind"] })}
        >
          <option value="routed">whoever is on call (team in hours, region out of hours)</option>
          <option value="schedule">a position of a schedule</option>
          <option value="user">a person</option>
          <option value="team">a whole team</option>
          <option value="group">a user group</option>
        </select>
      </div>
      {s.kind === "schedule" && (
        <div className="field">
          <label htmlFor={id("schedule")}>Schedule</label>
          <select id={id("schedule")} value={s.schedule} onChange={(e) => set({ schedule: e.target.value })}>
            <option value="">choose…</option>
            {p.schedules.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {(s.kind === "schedule" || s.kind === "routed") && (
        <div className="field">
          <label htmlFor={id("position")}>Position</label>
          <select
            id={id("position")}
            value={s.position}
            onChange={(e) => set({ position: e.target.value as DraftStep["position"] })}
          >
            {POSITIONS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </div>
      )}
      {s.kind === "user" && (
        <div className="field">
          <label htmlFor={id("user")}>Email</label>
          <input
            id={id("user")}
            type="email"
            value={s.user}
            onChange={(e) => set({ user: e.target.value })}
          />
        </div>
      )}
      {s.kind === "team" && (
        <div className="field">
          <label htmlFor={id("team")}>Team</label>
          <select id={id("team")} value={s.team} onChange={(e) => set({ team: e.target.value })}>
            <option value="">choose…</option>
            {p.teams.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {s.kind === "group" && (
        <div className="field">
          <label htmlFor={id("group")}>Group</label>
          <select id={id("group")} value={s.group} onChange={(e) => set({ group: e.target.value })}>
            <option value="">choose…</option>
            {p.groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
                {g.team ? ` (${g.team})` : ""}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field policy-step-timeout">
        <label htmlFor={id("timeout")}>Wait for an ack (min)</label>
        <input
          id={id("timeout")}
          type="number"
          min={0.0167}
          step="any"
          value={s.timeoutMinutes}
          onChange={(e) => set({ timeoutMinutes: e.target.value })}
        />
      </div>
      <div className="policy-step-actions">
        <button
          type="button"
          aria-label={`Move step ${i + 1} up`}
          disabled={i === 0}
          onClick={() => p.onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label={`Move step ${i + 1} down`}
          disabled={i === p.count - 1}
          onClick={() => p.onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          aria-label={`Remove step ${i + 1}`}
          disabled={p.count === 1}
          onClick={p.onRemove}
        >
          ✕
        </button>
      </div>
    </li>
  );
}
