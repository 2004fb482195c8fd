import type { TeamResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import { DataTable } from "../../components/data-table";
import { QueryState, type QueryLike } from "../../components/query-state";
import { useUrlState } from "../../components/url-state";
import { Members } from "./members";
import { EditTeamForm, NewTeamForm } from "./team-forms";

/** The teams with their Slack channels; the selected team (`?team=`) can be renamed and its members managed. */
export function Teams({ teams, selected }: { teams: QueryLike<TeamResponse[]>; selected: string }) {
  const { set } = useUrlState();
  return (
    <section aria-label="Teams">
      <h2>Teams</h2>
      <QueryState query={teams} what="teams">
        {(list) => {
          const team = list.find((t) => t.slug === selected);
          return (
            <>
              {list.length === 0 ? (
                <p className="muted">No team yet: create the first one below.</p>
              ) : (
                <DataTable
                  label="Teams"
                  rows={list}
                  rowKey={(t) => t.id}
                  rowProps={(t) => ({ className: t.slug === selected ? "selected" : undefined })}
                  columns={[
                    { header: "Team", cell: (t) => <Link to={`/teams/${t.slug}`}>{t.slug}</Link> },
                    { header: "Name", cell: (t) => t.name },
                    {
                      header: "Slack channel",
                      cell: (t) => t.slackChannel ?? <span className="muted">none</span>,
                    },
                    {
                      cell: (t) => (
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => set({ team: t.slug })}
                          aria-pressed={t.slug === selected}
                          aria-label={`Manage ${t.slug}`}
                        >
                          Manage
                        </button>
                      ),
                    },
                  ]}
                />
              )}
              {team && (
                <div className="two-col">
                  <EditTeamForm key={`${team.slug}-${team.name}-${team.slackChannel}`} team={team} />
                  <Members team={team.slug} />
                </div>
              )}
              <NewTeamForm onCreated={(slug) => set({ team: slug })} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
