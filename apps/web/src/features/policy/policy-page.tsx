import { POLICY_ROLES, type PolicyResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { ErrorBox, Loading } from "../../components/states";
import { ReleaseGateCheck } from "./release-gate";
import { POLICY_TEMPLATE, useEnactments, usePolicy, usePolicyWrites } from "./policy-api";

const ROLE_LABEL: Record<(typeof POLICY_ROLES)[number], string> = {
  developer: "Developers",
  operations: "Operations",
  product_owner: "Product owner",
};

/** A team's error budget policy: what it says, who agreed, whether it is in force, and what it enacted. */
export function PolicyPage() {
  const { slug = "" } = useParams();
  const policy = usePolicy(slug);
  const enactments = useEnactments(slug);
  const [editing, setEditing] = useState(false);
  if (policy.isLoading)
    return (
      <div className="page">
        <Loading what={`the policy of team ${slug}`} />
      </div>
    );
  if (policy.error)
    return (
      <div className="page">
        <ErrorBox what={`the policy of team ${slug}`} error={policy.error} />
      </div>
    );
  const p = policy.data ?? null;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>
            Error budget policy · team <Link to={`/teams/${slug}`}>{slug}</Link>
          </h1>
          <p className="muted">
            What happens when the team's budgets burn, agreed in advance by developers, operations and the
            product owner.
          </p>
        </div>
        <span className="spacer" />
        {p && (
          <span className={`chip ${p.inForce ? "state-healthy" : "state-low"}`} data-testid="in-force">
            {p.inForce
              ? "in force"
              : `not in force: ${p.missingSignatures.map((r) => ROLE_LABEL[r]).join(", ")} must sign`}
          </span>
        )}
        <button onClick={() => setEditing((e) => !e)}>
          {editing ? "Close editor" : p ? "Edit policy" : "Write the policy"}
        </button>
      </div>
      {editing && <PolicyEditor team={slug} current={p} onDone={() => setEditing(false)} />}
      {!p ? (
        <div className="empty">
          This team has no error budget policy yet. Write one, then have developers, operations and the
          product owner sign it.
        </div>
      ) : (
        <>
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
            <table className="grid" aria-label="Conditions">
              <thead>
                <tr>
                  <th>Condition</th>
                  <th>When</th>
                  <th>Then</th>
                </tr>
              </thead>
              <tbody>
                {p.conditions.map((c) => (
                  <tr key={c.id} data-testid="condition-row">
                    <td>
                      <code>{c.id}</code>
                    </td>
                    <td>{describeCondition(c)}</td>
                    <td>
                      {c.consequences.length === 0 ? (
                        <span className="muted">nothing automatic</span>
                      ) : (
                        c.consequences.map(describeConsequence).join("; ")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
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
  );
}

type Condition = PolicyResponse["conditions"][number];
function describeCondition(c: Condition): string {
  switch (c.type) {
    case "exhausted":
      return "the error budget is exhausted";
    case "consumed":
      return `≥ ${c.percent}% of the period's budget is consumed`;
    case "burned_within":
      return `≥ ${c.percent}% of the budget burned within ${c.hours} h`;
    case "manual":
      return `by decision: ${c.text}`;
  }
}
function describeConsequence(q: Condition["consequences"][number]): string {
  switch (q.type) {
    case "release_freeze":
      return `release freeze in ${q.regions.length ? q.regions.join(", ") : "every region"}`;
    case "notify":
      return `notify ${q.channel ?? "the team's channel"}`;
    case "work_item":
      return `work item: ${q.text}${q.webhookUrl ? " (sent to the webhook)" : ""}`;
    case "manual":
      return q.text;
  }
}

function Signatures({ team, policy }: { team: string; policy: PolicyResponse }) {
  const { put } = usePolicyWrites(team);
  const [error, setError] = useState<string | null>(null);
  async function sign(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = String(f.get("name") ?? "").trim();
    const role = String(f.get("role")) as (typeof POLICY_ROLES)[number];
    setError(null);
    try {
      await put.mutateAsync({
        ...editable(policy),
        agreedBy: [
          ...policy.agreedBy.filter((s) => s.role !== role),
          { name, role, date: new Date().toISOString().slice(0, 10) },
        ],
        reason: `signed by ${name} for ${ROLE_LABEL[role]}`,
      });
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <section aria-label="Agreed by">
      <h2>Agreed by</h2>
      <ul className="plain">
        {POLICY_ROLES.map((r) => {
          const s = policy.agreedBy.find((x) => x.role === r);
          return (
            <li key={r} data-testid="signature">
              <strong>{ROLE_LABEL[r]}:</strong>{" "}
              {s ? `${s.name}, ${s.date}` : <span className="muted">not signed</span>}
            </li>
          );
        })}
      </ul>
      <form className="inline-form" onSubmit={sign} aria-label="Sign the policy">
        <label>
          Name <input name="name" required minLength={1} />
        </label>
        <label>
          For{" "}
          <select name="role" aria-label="Role">
            {POLICY_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={put.isPending}>
          Sign
        </button>
        {error && (
          <span role="alert" className="error">
            {error}
          </span>
        )}
      </form>
    </section>
  );
}

function Enactments({
  team,
  policy,
  rows,
}: {
  team: string;
  policy: PolicyResponse;
  rows: ReturnType<typeof useEnactments>["data"] & object;
}) {
  const { enact, close } = usePolicyWrites(team);
  const [error, setError] = useState<string | null>(null);
  const manual = policy.conditions.filter((c) => c.type === "manual");
  async function onEnact(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError(null);
    try {
      await enact.mutateAsync({ conditionId: String(f.get("conditionId")), reason: String(f.get("reason")) });
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <section aria-label="Enactments">
      <h2>Enactments</h2>
      {rows.length === 0 ? (
        <p className="muted">
          Nothing enacted
          {policy.inForce ? " — no condition has been true." : " — the policy is not in force."}
        </p>
      ) : (
        <table className="grid" aria-label="Enactments">
          <thead>
            <tr>
              <th>Condition</th>
              <th>SLO</th>
              <th>Region</th>
              <th>Opened</th>
              <th>Closed</th>
              <th>Why</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} data-testid="enactment-row">
                <td>
                  <code>{e.conditionId}</code>
                  {e.manual ? " (manual)" : ""}
                </td>
                <td>{e.slo ? <Link to={`/slos/${e.slo.id}`}>{e.slo.name}</Link> : "whole team"}</td>
                <td>{e.region ?? "all"}</td>
                <td>{new Date(e.openedAt).toLocaleString()}</td>
                <td>
                  {e.closedAt ? (
                    new Date(e.closedAt).toLocaleString()
                  ) : (
                    <span className="chip state-firing">open</span>
                  )}
                </td>
                <td className="small">{e.reason ?? numbers(e.detail)}</td>
                <td>
                  {e.manual && !e.closedAt && (
                    <button
                      onClick={() => {
                        const reason = window.prompt("Why does this end?");
                        if (reason)
                          void close
                            .mutateAsync({ id: e.id, reason })
                            .catch((err: Error) => setError(err.message));
                      }}
                    >
                      Close
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manual.length > 0 && (
        <form className="inline-form" onSubmit={onEnact} aria-label="Enact a manual condition">
          <label>
            Condition{" "}
            <select name="conditionId" aria-label="Manual condition">
              {manual.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.id}
                </option>
              ))}
            </select>
          </label>
          <label>
            Reason <input name="reason" required minLength={3} />
          </label>
          <button type="submit" disabled={enact.isPending}>
            Enact
          </button>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}

function numbers(detail: unknown): string {
  const d = (detail ?? {}) as { consumedPercent?: number; burnedPercent?: number | null };
  const parts = [];
  if (typeof d.consumedPercent === "number") parts.push(`${d.consumedPercent.toFixed(1)}% consumed`);
  if (typeof d.burnedPercent === "number") parts.push(`${d.burnedPercent.toFixed(1)}% burned in the window`);
  return parts.join(", ");
}

function editable(p: PolicyResponse) {
  return {
    scope: p.scope,
    purpose: p.purpose,
    conditions: p.conditions,
    escalation: p.escalation,
    agreedBy: p.agreedBy,
    silverBulletsPerYear: p.silverBulletsPerYear,
    ...(p.nextReviewAt ? { nextReviewAt: p.nextReviewAt } : {}),
  };
}

/** The policy as JSON, checked by the API (its errors name the field), with a required reason. */
function PolicyEditor({
  team,
  current,
  onDone,
}: {
  team: string;
  current: PolicyResponse | null;
  onDone: () => void;
}) {
  const { put } = usePolicyWrites(team);
  const initial = current ? { ...editable(current), agreedBy: undefined } : POLICY_TEMPLATE;
  const [text, setText] = useState(JSON.stringify(initial, null, 2));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      setError(`not valid JSON: ${(err as Error).message}`);
      return;
    }
    try {
      // Changing the text of a policy asks everyone to agree again: signatures are kept only when unchanged.
      await put.mutateAsync({ ...(body as object), agreedBy: current?.agreedBy ?? [], reason } as never);
      onDone();
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <form className="card" onSubmit={save} aria-label="Policy editor">
      <label>
        Policy (scope, purpose, conditions with their consequences, escalation, nextReviewAt,
        silverBulletsPerYear)
        <textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={22}
          spellCheck={false}
          className="code"
          aria-label="Policy JSON"
        />
      </label>
      <label>
        Reason for this change{" "}
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          minLength={3}
          aria-label="Reason"
        />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={put.isPending}>
        Save policy
      </button>
    </form>
  );
}
