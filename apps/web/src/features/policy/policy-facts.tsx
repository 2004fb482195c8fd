import type { PolicyResponse } from "@burnrate/contracts";
import { DataTable } from "../../components/data-table";
import { describeCondition, describeConsequence } from "./describe-policy";

/** What the policy says: scope, purpose, escalation, review, silver bullets, and its conditions. */
export function PolicyFacts({ policy: p }: { policy: PolicyResponse }) {
  return (
    <section aria-label="Policy">
      <dl className="facts">
        <dt>Scope</dt>
        <dd>{p.scope}</dd>
        <dt>Purpose</dt>
        <dd>{p.purpose}</dd>
        <dt>Escalation</dt>
        <dd>{p.escalation}</dd>
        <dt>Next review</dt>
        <dd>{p.nextReviewAt ?? "not set"} (or at the first P1 outage, whichever comes first)</dd>
        <dt>Silver bullets</dt>
        <dd>{p.silverBulletsPerYear} a year</dd>
        <dt>Version</dt>
        <dd>{p.version}</dd>
      </dl>
      <h2>Conditions and consequences</h2>
      <DataTable
        label="Conditions"
        rows={p.conditions}
        rowKey={(c) => c.id}
        rowProps={() => ({ "data-testid": "condition-row" })}
        columns={[
          { header: "Condition", cell: (c) => <code>{c.id}</code> },
          { header: "When", cell: describeCondition },
          {
            header: "Then",
            cell: (c) =>
              c.consequences.length === 0 ? (
                <span className="muted">nothing automatic</span>
              ) : (
                c.consequences.map(describeConsequence).join("; ")
              ),
          },
        ]}
      />
    </section>
  );
}
