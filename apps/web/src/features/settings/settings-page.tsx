import { useTeams } from "../../api";
import { PageHeader } from "../../components/page-header";
import { useUrlState } from "../../components/url-state";
import { Priorities } from "./priorities";
import { Slack } from "./slack";
import { Teams } from "./teams";
import { Tokens } from "./tokens";

/** Teams and their members, API tokens (the secret is shown once), Slack status and a test message. */
export function SettingsPage() {
  const teams = useTeams();
  const { get } = useUrlState();
  const team = get("team") || teams.data?.[0]?.slug || "";
  return (
    <div className="page">
      <PageHeader title="Settings" description="Teams, members, API tokens, Slack and incident priorities." />
      <Teams teams={teams} selected={team} />
      <Tokens />
      <Slack team={team} />
      <Priorities />
    </div>
  );
}
