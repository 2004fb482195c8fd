import type { ChannelSeverity, IncidentChannelSettingsResponse, TeamResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useIncidentChannels, useSaveIncidentChannels } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { QueryState } from "../../components/query-state";
import { useUrlState } from "../../components/url-state";

/** The severities an incident channel can be opened for, in the API's order, in words. */
const SEVERITIES: [ChannelSeverity, string][] = [
  ["critical", "Critical"],
  ["error", "Error"],
  ["warning", "Warning"],
  ["unset", "Severity not set yet"],
];
const label = (s: ChannelSeverity) => SEVERITIES.find(([k]) => k === s)?.[1] ?? s;
/** "Critical, Error" or "none". */
export const severitiesText = (list: ChannelSeverity[]) =>
  list.length === 0 ? "none" : list.map(label).join(", ");

/** Checkboxes of the four severities; `idPrefix` keeps each form's ids apart. */
function SeverityChecks({
  idPrefix,
  value,
  onChange,
  disabled = false,
  indented = false,
}: {
  idPrefix: string;
  value: ChannelSeverity[];
  onChange: (v: ChannelSeverity[]) => void;
  disabled?: boolean;
  indented?: boolean;
}) {
  return (
    <div className={indented ? "severity-checks indented" : "severity-checks"}>
      {SEVERITIES.map(([k, text]) => (
        <div className="field check" key={k}>
          <label htmlFor={`${idPrefix}-${k}`}>
            <input
              id={`${idPrefix}-${k}`}
              type="checkbox"
              disabled={disabled}
              checked={value.includes(k)}
              onChange={(e) =>
                onChange(
                  SEVERITIES.map(([s]) => s).filter((s) => (s === k ? e.target.checked : value.includes(s))),
                )
              }
            />{" "}
            {text}
          </label>
        </div>
      ))}
    </div>
  );
}

/** The organisation's default: which severities open their own Slack channel (org admins change it). */
function OrgForm({ data }: { data: IncidentChannelSettingsResponse }) {
  const save = useSaveIncidentChannels();
  const [value, setValue] = useState(data.org.severities);
  const [saved, setSaved] = useState(false);
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    save.mutate({ team: null, severities: value }, { onSuccess: () => setSaved(true) });
  }
  return (
    <form className="form card-form" onSubmit={submit} aria-label="Organisation incident channels">
      <h3>Organisation default</h3>
      <fieldset className="plain">
        <legend>An incident of these severities gets its own Slack channel</legend>
        <SeverityChecks
          idPrefix="org-channel"
          value={value}
          onChange={(v) => {
            setValue(v);
            setSaved(false);
          }}
        />
      </fieldset>
      <p className="muted">Every team follows this unless it makes its own choice.</p>
      <ErrorText error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          Save the default (org admins)
        </button>
        {saved && (
          <span role="status" data-testid="org-channels-saved">
            Saved: {severitiesText(data.org.severities)}.
          </span>
        )}
      </div>
    </form>
  );
}

/** One team's choice: follow the organisation, or its own severities (team editors change it). */
function TeamForm({
  data,
  teams,
  team,
  onTeam,
}: {
  data: IncidentChannelSettingsResponse;
  teams: TeamResponse[];
  team: string;
  onTeam: (slug: string) => void;
}) {
  const save = useSaveIncidentChannels();
  const own = data.teams.find((t) => t.team === team)?.severities ?? null;
  const [follow, setFollow] = useState(own === null);
  const [value, setValue] = useState<ChannelSeverity[]>(own ?? data.org.severities);
  const [saved, setSaved] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(null);
    save.mutate(
      { team, severities: follow ? null : value },
      {
        onSuccess: (d) => {
          const mine = d.teams.find((t) => t.team === team);
          setSaved(
            mine
              ? `Saved: ${team} opens a channel for ${severitiesText(mine.severities)}.`
              : `Saved: ${team} follows the organisation (${severitiesText(d.org.severities)}).`,
          );
        },
      },
    );
  }
  return (
    <form className="form card-form" onSubmit={submit} aria-label="Team incident channels">
      <h3>Per team</h3>
      <div className="field">
        <label htmlFor="team-channel-team">Team</label>
        <select id="team-channel-team" value={team} onChange={(e) => onTeam(e.target.value)}>
          {teams.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name === t.slug ? t.slug : `${t.name} (${t.slug})`}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="plain">
        <legend>Incidents of {team} get their own Slack channel</legend>
        <div className="field check">
          <label htmlFor="team-channel-follow">
            <input
              id="team-channel-follow"
              type="radio"
              name="team-channel-mode"
              checked={follow}
              onChange={() => {
                setFollow(true);
                setSaved(null);
              }}
            />{" "}
            As the organisation does ({severitiesText(data.org.severities)})
          </label>
        </div>
        <div className="field check">
          <label htmlFor="team-channel-own">
            <input
              id="team-channel-own"
              type="radio"
              name="team-channel-mode"
              checked={!follow}
              onChange={() => {
                setFollow(false);
                setSaved(null);
              }}
            />{" "}
            For these severities:
          </label>
        </div>
        <SeverityChecks
          idPrefix="team-channel"
          value={value}
          disabled={follow}
          indented
          onChange={(v) => {
            setValue(v);
            setSaved(null);
          }}
        />
      </fieldset>
      <ErrorText error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.isPending || !team}>
          Save for {team || "the team"}
        </button>
        {saved && (
          <span role="status" data-testid="team-channels-saved">
            {saved}
          </span>
        )}
      </div>
    </form>
  );
}

/**
 * Which incidents get their own Slack channel (created, members invited, a summary pinned): the organisation's
 * severities, and each team's own choice where it made one.
 */
export function IncidentChannels({ teams, team }: { teams: TeamResponse[]; team: string }) {
  const settings = useIncidentChannels();
  const { set } = useUrlState();
  return (
    <section aria-label="Incident channels">
      <h2>Incident Slack channels</h2>
      <p className="muted">
        An incident of a chosen severity gets a channel of its own: Burnrate creates it, invites the
        responders and the commander, and keeps a summary pinned there.
      </p>
      <QueryState query={settings} what="incident channel settings">
        {(d) => (
          <>
            <div className="two-col">
              <OrgForm data={d} />
              {teams.length === 0 ? (
                <p className="muted">No team yet: create one under Teams &amp; members.</p>
              ) : (
                <TeamForm
                  key={team}
                  data={d}
                  teams={teams}
                  team={team}
                  onTeam={(slug) => set({ team: slug })}
                />
              )}
            </div>
            {d.teams.length === 0 ? (
              <p className="muted" data-testid="incident-channel-teams">
                Every team follows the organisation.
              </p>
            ) : (
              <DataTable
                label="Teams with their own incident channel choice"
                rows={d.teams}
                rowKey={(t) => t.team}
                columns={[
                  { header: "Team", cell: (t) => t.team },
                  { header: "Own channel for", cell: (t) => severitiesText(t.severities) },
                ]}
              />
            )}
          </>
        )}
      </QueryState>
    </section>
  );
}
