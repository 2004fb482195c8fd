import { NavLink, useParams } from "react-router";
import { useTeams } from "../../api";
import { PageHeader } from "../../components/page-header";
import { useUrlState } from "../../components/url-state";
import "../forms/forms.css";
import { Events } from "./events";
import { IncidentChannels } from "./incident-channels";
import { PostmortemPriorities, Priorities } from "./priorities";
import { Receivers } from "./receivers";
import { Regions } from "./regions";
import { Services } from "./services";
import { SettingsSilences } from "./settings-silences";
import { SsoGroups } from "./sso-groups";
import { Slack } from "./slack";
import { StakeholderRings } from "./stakeholder-rings";
import { TargetingMatrix } from "./targeting-matrix";
import { Teams } from "./teams";
import { Tokens } from "./tokens";

/** The settings' sections, each a page of its own (`/settings/<tab>`). */
const TABS = [
  ["", "Teams & members"],
  ["services", "Services & endpoints"],
  ["regions", "Regions"],
  ["tokens", "API tokens"],
  ["silences", "Silences"],
  ["events", "Deployments & maintenance"],
  ["slack", "Slack, incident channels & priorities"],
  ["receivers", "Receivers"],
  ["stakeholders", "Stakeholders"],
  ["sso", "Single sign-on"],
] as const;

/** Everything the API can create or change, as forms: teams, members, services, regions, tokens, silences, events, receivers, stakeholder rings, the single sign-on group mapping. */
export function SettingsPage() {
  const { tab = "" } = useParams();
  const teams = useTeams();
  const { get } = useUrlState();
  const team = get("team") || teams.data?.[0]?.slug || "";
  const title = TABS.find(([t]) => t === tab)?.[1] ?? "Settings";
  return (
    <div className="page">
      <PageHeader
        title={`Settings: ${title}`}
        description="Create and change what Burnrate knows about your teams and services."
      />
      <nav className="settings-tabs" aria-label="Settings sections">
        {TABS.map(([t, label]) => (
          <NavLink key={t} to={t ? `/settings/${t}` : "/settings"} end>
            {label}
          </NavLink>
        ))}
      </nav>
      {tab === "" && <Teams teams={teams} selected={team} />}
      {tab === "services" && <Services teams={teams.data ?? []} />}
      {tab === "regions" && <Regions />}
      {tab === "tokens" && <Tokens teams={teams.data ?? []} />}
      {tab === "silences" && <SettingsSilences teams={teams.data ?? []} />}
      {tab === "events" && <Events />}
      {tab === "slack" && (
        <>
          <Slack team={team} />
          <IncidentChannels teams={teams.data ?? []} team={team} />
          <Priorities />
          <PostmortemPriorities />
        </>
      )}
      {tab === "receivers" && <Receivers teams={teams.data ?? []} />}
      {tab === "stakeholders" && (
        <>
          <StakeholderRings />
          <TargetingMatrix />
        </>
      )}
      {tab === "sso" && <SsoGroups />}
      {!TABS.some(([t]) => t === tab) && <p className="empty">No settings section '{tab}'.</p>}
    </div>
  );
}
