import type { TeamResponse } from "@burnrate/contracts";
import { useMembers } from "../../api";
import { DataTable } from "../../components/data-table";
import { QueryState, type QueryLike } from "../../components/query-state";
import { Loading } from "../../components/states";
import { useUrlState } from "../../components/url-state";

/** The teams with their Slack channels; "Members" shows one team's members beside them (`?team=`). */
export function Teams({ teams, selected }: { teams: QueryLike<TeamResponse[]>; selected: string }) {
  const { set } = useUrlState();
  return (
    <section aria-label="Teams">
      <h2>Teams</h2>
      <QueryState query={teams} what="teams">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">
              No team yet: create one with <code>POST /api/v1/teams</code>.
            </p>
          ) : (
            <div className="two-col">
              <DataTable
                label="Teams"
                rows={list}
                rowKey={(t) => t.id}
                rowProps={(t) => ({ className: t.slug === selected ? "selected" : undefined })}
                columns={[
                  { header: "Team", cell: (t) => t.slug },
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
                      >
                        Members
                      </button>
                    ),
                  },
                ]}
              />
              <Members team={selected} />
            </div>
          )
        }
      </QueryState>
    </section>
  );
}

function Members({ team }: { team: string }) {
  const members = useMembers(team);
  return (
    <div>
      <h3>Members of {team}</h3>
      {members.isLoading ? (
        <Loading what="members" />
      ) : (members.data ?? []).length === 0 ? (
        <p className="muted">
          No members. Add one with <code>PUT /api/v1/teams/{team}/members</code>.
        </p>
      ) : (
        <DataTable
          label="Members"
          rows={members.data!}
          rowKey={(m) => m.email}
          columns={[
            { header: "Email", cell: (m) => m.email },
            { header: "Name", cell: (m) => m.name },
            { header: "Role", cell: (m) => m.role },
          ]}
        />
      )}
    </div>
  );
}
