import type { PolicyDryRunResponse } from "@burnrate/contracts";
import { Link } from "react-router";
import { errorMessage, usePolicyDryRun, type PolicyDryRunInput } from "../../api";
import { fmtPercent } from "../../components/format";
import { Loading } from "../../components/states";
import type { ConditionRow } from "./policy-form-model";

/** The compared value in words: "75% consumed", "31% burned in 24 h", "-12% left". */
function valueWords(c: ConditionRow | undefined, value: number | null): string {
  if (!c || value === null) return "";
  if (c.type === "exhausted") return `${fmtPercent(value, 1)} left`;
  if (c.type === "consumed") return `${value.toFixed(1)}% consumed`;
  return `${value.toFixed(1)}% burned in ${c.hours} h`;
}

/**
 * "Which SLOs meet this now": the conditions as they stand in the form, judged against the team's SLO ×
 * regions by the API (nothing saved). While a field is invalid the last valid answer stays, marked as such.
 */
export function MeetsNow({
  team,
  body,
  conditions,
}: {
  team: string;
  body: PolicyDryRunInput | null;
  conditions: ConditionRow[];
}) {
  const q = usePolicyDryRun(team, body);
  const data: PolicyDryRunResponse | undefined = q.data;
  const judged = conditions.filter((c) => c.type !== "manual");
  return (
    <section className="preview meets-now" aria-label="Which SLOs meet this now" aria-busy={q.isFetching}>
      <h2>Which SLOs meet this now</h2>
      {body === null && data && (
        <p className="warning" role="status">
          A field is not valid yet: this is the answer for the last valid conditions.
        </p>
      )}
      {q.error ? (
        <p className="error" role="alert">
          Could not judge the conditions: {errorMessage(q.error)}
        </p>
      ) : !data ? (
        body === null ? (
          <p className="muted">Fill in the conditions to see which SLOs meet them.</p>
        ) : (
          <Loading what="the SLOs' budgets" />
        )
      ) : data.rows.length === 0 ? (
        <p className="empty">The team has no SLO with data this period.</p>
      ) : (
        <ul className="meets-list" data-testid="meets-now">
          {judged.map((c) => {
            const meeting = data.rows.flatMap((r) => {
              const res = r.results.find((x) => x.conditionId === c.id.trim());
              return res?.met ? [{ r, value: res.value }] : [];
            });
            return (
              <li key={c.id} data-testid="meets-condition">
                <strong>{c.id}</strong>:{" "}
                {meeting.length === 0 ? (
                  <span className="muted">no SLO meets it now</span>
                ) : (
                  <>
                    {meeting.length} of {data.rows.length} SLO × region{data.rows.length === 1 ? "" : "s"}{" "}
                    meet it
                    <ul>
                      {meeting.map(({ r, value }) => (
                        <li key={`${r.sloId}-${r.region}`} data-testid="meets-slo">
                          <Link to={`/slos/${r.sloId}?region=${r.region}`}>{r.slo}</Link> in {r.region}:{" "}
                          {valueWords(c, value)}
                        </li>
                      ))}
                    </ul>
                  </>
                )}
              </li>
            );
          })}
          {conditions.some((c) => c.type === "manual") && (
            <li className="muted">Conditions declared by people are not judged from the budgets.</li>
          )}
        </ul>
      )}
      {data && (
        <p className="muted small">
          Judged at {new Date(data.at).toLocaleString()}, from the current period.
        </p>
      )}
    </section>
  );
}
