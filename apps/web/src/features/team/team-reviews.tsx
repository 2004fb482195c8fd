import { Link } from "react-router";
import { useTeamReviews } from "../../api";
import { DataTable } from "../../components/data-table";
import { fmtTime } from "../../components/format";

/** The team's SLO reviews overdue or due in the next four weeks, each on its SLO's own cadence. */
export function TeamReviews({ slug }: { slug: string }) {
  const reviews = useTeamReviews(slug);
  const d = reviews.data;
  if (!d) return null;
  return (
    <section className="overdue-list" aria-labelledby="slo-reviews-h">
      <h2 id="slo-reviews-h">SLO reviews due</h2>
      {d.slos.length === 0 ? (
        <p className="muted">No SLO review is overdue or due in the next four weeks.</p>
      ) : (
        <DataTable
          label="SLO reviews overdue or due"
          rows={d.slos}
          rowKey={(s) => s.sloId}
          rowProps={() => ({ "data-testid": "team-review-row" })}
          columns={[
            { header: "SLO", cell: (s) => <Link to={`/slos/${s.sloId}`}>{s.name}</Link> },
            { header: "Service", cell: (s) => s.service },
            { header: "Every", cell: (s) => `${s.reviewEveryDays} days` },
            {
              header: "Last review",
              cell: (s) => (s.lastReviewedAt ? fmtTime(Date.parse(s.lastReviewedAt)) : "never"),
            },
            {
              header: "Due",
              cell: (s) =>
                s.state === "overdue" ? (
                  <span className="chip warn">overdue since {fmtTime(Date.parse(s.dueAt))}</span>
                ) : (
                  fmtTime(Date.parse(s.dueAt))
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
