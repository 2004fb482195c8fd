import type { SloResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useCreateSloReview, useSloReviews } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";

const OUTCOMES = [
  ["keep", "Keep the objective"],
  ["tighten", "Tighten (raise the objective)"],
  ["loosen", "Loosen (lower the objective)"],
] as const;
type Outcome = (typeof OUTCOMES)[number][0];

/**
 * The SLO's reviews on its cadence: when the next is due, the form to record one (keep, tighten or loosen with
 * a reason; tighten and loosen make a new version), and the reviews so far.
 */
export function SloReviews({ slo }: { slo: SloResponse }) {
  const reviews = useSloReviews(slo.id);
  const create = useCreateSloReview(slo.id);
  const [outcome, setOutcome] = useState<Outcome>("keep");
  const [reason, setReason] = useState("");
  const [objective, setObjective] = useState("");
  const [saved, setSaved] = useState<string | null>(null);
  const d = reviews.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(null);
    create.mutate(
      {
        outcome,
        reason,
        ...(outcome !== "keep" && objective.trim() !== "" ? { objectivePercent: Number(objective) } : {}),
      },
      {
        onSuccess: (r) => {
          setSaved(
            r.outcome === "keep"
              ? `Review recorded: objective kept at ${r.objectiveAfter}%.`
              : `Review recorded: objective ${r.objectiveBefore}% → ${r.objectiveAfter}% (version ${r.version}).`,
          );
          setReason("");
          setObjective("");
        },
      },
    );
  };
  return (
    <section aria-labelledby="slo-reviews-h" className="slo-reviews">
      <h2 id="slo-reviews-h">Reviews</h2>
      {d && (
        <p data-testid="review-due">
          Reviewed every {d.review.reviewEveryDays} days.{" "}
          {d.review.lastReviewedAt
            ? `Last review ${fmtTime(Date.parse(d.review.lastReviewedAt))}. `
            : "Never reviewed. "}
          {d.review.state === "overdue" ? (
            <span className="chip warn">review overdue since {fmtTime(Date.parse(d.review.dueAt))}</span>
          ) : d.review.state === "due" ? (
            <span className="chip">review due {fmtTime(Date.parse(d.review.dueAt))}</span>
          ) : (
            <>Next review due {fmtTime(Date.parse(d.review.dueAt))}.</>
          )}
        </p>
      )}
      {slo.kind === "explicit" && (
        <form className="review-form" onSubmit={submit} aria-label="Record a review">
          <label>
            Outcome
            <select value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
              {OUTCOMES.map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {outcome !== "keep" && (
            <label>
              New objective (%)
              <input
                type="number"
                step="any"
                min={0}
                max={100}
                value={objective}
                onChange={(e) => setObjective(e.target.value)}
                placeholder={String(slo.objectivePercent)}
              />
            </label>
          )}
          <label>
            Reason
            <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} />
          </label>
          <button type="submit" disabled={create.isPending}>
            Record review
          </button>
          <ErrorText error={create.error} />
          {saved && (
            <p role="status" className="muted">
              {saved}
            </p>
          )}
        </form>
      )}
      {d && d.reviews.length > 0 && (
        <DataTable
          label="Reviews of this SLO"
          rows={d.reviews}
          rowKey={(r) => r.id}
          rowProps={() => ({ "data-testid": "review-row" })}
          columns={[
            { header: "When", cell: (r) => fmtTime(Date.parse(r.reviewedAt)) },
            { header: "Outcome", cell: (r) => r.outcome },
            {
              header: "Objective",
              cell: (r) =>
                r.objectiveBefore === r.objectiveAfter
                  ? `${r.objectiveAfter}%`
                  : `${r.objectiveBefore}% → ${r.objectiveAfter}%`,
            },
            { header: "Version", cell: (r) => `v${r.version}` },
            { header: "Reason", cell: (r) => r.reason },
            { header: "By", cell: (r) => r.reviewedBy },
          ]}
        />
      )}
    </section>
  );
}
