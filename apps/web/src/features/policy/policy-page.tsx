import type { PolicyResponse } from "@burnrate/contracts";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useEnactments, usePolicy } from "../../api";
import { PageHeader } from "../../components/page-header";
import { QueryState } from "../../components/query-state";
import { StatusBadge } from "../../components/status-badge";
import { ROLE_LABEL } from "./describe-policy";
import { Enactments } from "./enactments";
import { PolicyFacts } from "./policy-facts";
import { MeetsNow } from "./meets-now";
import { PolicyForm } from "./policy-form";
import { formFromPolicy } from "./policy-form-model";
import "../forms/forms.css";
import { ReleaseGateCheck } from "./release-gate";
import { Signatures } from "./signatures";

/** A team's error budget policy: what it says, who agreed, whether it is in force, and what it enacted. */
export function PolicyPage() {
  const { slug = "" } = useParams();
  const policy = usePolicy(slug);
  const enactments = useEnactments(slug);
  const [editing, setEditing] = useState(false);
  return (
    <QueryState query={policy} what={`the policy of team ${slug}`} page>
      {(p) => (
        <div className="page">
          <PageHeader
            title={
              <>
                Error budget policy · team <Link to={`/teams/${slug}`}>{slug}</Link>
              </>
            }
            description="What happens when the team's budgets burn, agreed in advance by developers, operations and the product owner."
          >
            {p && <InForce policy={p} />}
            <button onClick={() => setEditing((e) => !e)}>
              {editing ? "Close editor" : p ? "Edit policy" : "Write the policy"}
            </button>
          </PageHeader>
          {editing && <PolicyForm team={slug} current={p} onDone={() => setEditing(false)} />}
          {!p ? (
            <div className="empty">
              This team has no error budget policy yet. Write one, then have developers, operations and the
              product owner sign it.
            </div>
          ) : (
            <>
              <PolicyFacts policy={p} />
              {!editing && (
                <MeetsNow
                  team={slug}
                  body={{ conditions: p.conditions }}
                  conditions={formFromPolicy(p).conditions}
                />
              )}
              <Signatures team={slug} policy={p} />
              <Enactments team={slug} policy={p} rows={enactments.data ?? []} />
              <section aria-label="Release gate">
                <h2>Release gate</h2>
                <p className="muted">
                  What a pipeline gets from <code>GET /api/v1/release-gate?service=&amp;region=</code>.
                </p>
                <ReleaseGateCheck team={slug} />
              </section>
            </>
          )}
        </div>
      )}
    </QueryState>
  );
}

/** In force once developers, operations and the product owner have signed; else who must still sign. */
function InForce({ policy: p }: { policy: PolicyResponse }) {
  return (
    <StatusBadge tone={p.inForce ? "healthy" : "low"} testId="in-force">
      {p.inForce
        ? "in force"
        : `not in force: ${p.missingSignatures.map((r) => ROLE_LABEL[r]).join(", ")} must sign`}
    </StatusBadge>
  );
}
