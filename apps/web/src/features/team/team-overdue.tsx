import { Link } from "react-router";
import { useTeamOverdue } from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";

/** What the team owes from past incidents: postmortems past due and action items past their due date. */
export function TeamOverdue({ slug }: { slug: string }) {
  const overdue = useTeamOverdue(slug);
  const d = overdue.data;
  if (!d) return null;
  return (
    <section className="overdue-list" aria-labelledby="overdue-h">
      <h2 id="overdue-h">Overdue from postmortems</h2>
      {d.postmortems.length === 0 && d.actionItems.length === 0 ? (
        <p className="muted">Nothing overdue: every postmortem and action item is on time.</p>
      ) : (
        <>
          {d.postmortems.length > 0 && (
            <DataTable
              label="Overdue postmortems"
              rows={d.postmortems}
              rowKey={(p) => p.id}
              columns={[
                {
                  header: "Postmortem",
                  cell: (p) => <Link to={`/incidents/${p.incidentId}/postmortem`}>{p.title}</Link>,
                },
                { header: "Status", cell: (p) => p.status.replace("_", " ") },
                { header: "Due", cell: (p) => fmtTime(Date.parse(p.dueAt)) },
              ]}
            />
          )}
          {d.actionItems.length > 0 && (
            <DataTable
              label="Overdue action items"
              rows={d.actionItems}
              rowKey={(a) => a.id}
              columns={[
                { header: "Priority", cell: (a) => a.priority },
                { header: "Action", cell: (a) => a.title },
                { header: "Owner", cell: (a) => a.owner },
                { header: "Due", cell: (a) => a.dueDate },
                { header: "State", cell: (a) => a.state.replace("_", " ") },
                {
                  header: "Incident",
                  cell: (a) => <Link to={`/incidents/${a.incidentId}/postmortem`}>#{a.incidentNumber}</Link>,
                },
              ]}
            />
          )}
        </>
      )}
    </section>
  );
}
