import { useState, type FormEvent } from "react";
import { useCreateSchedule, useTeams } from "../../api";
import { ErrorText } from "../../components/error-text";
import { TeamSelect } from "./team-select";

const PRESETS = [
  ["24x7", "24x7 (around the clock)"],
  ["8x5", "8x5 business hours (Mon–Fri 09:00–17:00)"],
  ["12x5", "12x5 (Mon–Fri 08:00–20:00)"],
  ["16x7", "16x7 out of hours (all but 8x5)"],
] as const;
type Preset = (typeof PRESETS)[number][0];
const POSITION_SETS = {
  "1": ["main"],
  "2": ["main", "backup"],
  "3": ["main", "backup", "backup2"],
} as const;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const today = () => new Date().toISOString().slice(0, 10);

/** A new rotation for a team or a region; the API checks every field and names the one that is wrong. */
export function ScheduleForm({ onCreated }: { onCreated: (id: string) => void }) {
  const teams = useTeams();
  const create = useCreateSchedule();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"team" | "region">("team");
  const [team, setTeam] = useState("");
  const [region, setRegion] = useState("");
  const [timeZone, setTimeZone] = useState(browserZone);
  const [periodDays, setPeriodDays] = useState("7");
  const [handoff, setHandoff] = useState("09:00");
  const [start, setStart] = useState(today);
  const [hours, setHours] = useState<Preset>("24x7");
  const [positions, setPositions] = useState<keyof typeof POSITION_SETS>("2");
  const [members, setMembers] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    create.reset();
    create
      .mutateAsync({
        name,
        ...(scope === "team" ? { team: team || teams.data?.[0]?.slug || "" } : { region }),
        timeZone,
        rotation: { periodDays: Number(periodDays), handoff, start },
        activeHours: hours,
        positions: [...POSITION_SETS[positions]],
        members: members
          .split(/[\s,]+/)
          .map((m) => m.trim())
          .filter(Boolean),
      })
      .then(
        (s) => onCreated(s.id),
        () => {},
      ); // shown from create.error
  }
  return (
    <form className="form" onSubmit={submit} aria-label="New schedule">
      <h3>New schedule</h3>
      <div className="field">
        <label htmlFor="s-name">Name</label>
        <input id="s-name" value={name} onChange={(e) => setName(e.target.value)} required />
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor="s-scope">Scope</label>
          <select id="s-scope" value={scope} onChange={(e) => setScope(e.target.value as "team" | "region")}>
            <option value="team">Team (business hours, all regions)</option>
            <option value="region">Region (out of hours, every service there)</option>
          </select>
        </div>
        {scope === "team" ? (
          <TeamSelect id="s-team" teams={teams.data} value={team} onChange={setTeam} />
        ) : (
          <div className="field">
            <label htmlFor="s-region">Region</label>
            <input
              id="s-region"
              value={region}
              onChange={(e) => setRegion(e.target.value)}
              placeholder="prod-eu"
            />
          </div>
        )}
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor="s-tz">Time zone</label>
          <input id="s-tz" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-hours">Active hours</label>
          <select id="s-hours" value={hours} onChange={(e) => setHours(e.target.value as Preset)}>
            {PRESETS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor="s-period">Period (days)</label>
          <input
            id="s-period"
            type="number"
            min={1}
            max={366}
            value={periodDays}
            onChange={(e) => setPeriodDays(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="s-handoff">Hand-off</label>
          <input id="s-handoff" type="time" value={handoff} onChange={(e) => setHandoff(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-start">First hand-off</label>
          <input id="s-start" type="date" value={start} onChange={(e) => setStart(e.target.value)} />
        </div>
      </div>
      <div className="field">
        <label htmlFor="s-positions">Positions</label>
        <select
          id="s-positions"
          value={positions}
          onChange={(e) => setPositions(e.target.value as keyof typeof POSITION_SETS)}
        >
          <option value="1">Main only</option>
          <option value="2">Main and backup</option>
          <option value="3">Main, backup and backup 2</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="s-members">Members, in rotation order (emails)</label>
        <textarea
          id="s-members"
          rows={3}
          value={members}
          onChange={(e) => setMembers(e.target.value)}
          placeholder="ann@example.com, ben@example.com, cat@example.com"
        />
        <span className="muted small">
          Each period everyone moves up one position: backup becomes main, main goes to the back.
        </span>
      </div>
      <ErrorText error={create.error} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          Create schedule
        </button>
      </div>
    </form>
  );
}
