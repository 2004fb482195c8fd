import { POLICY_ROLES, type PolicyResponse } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { usePolicyWrites } from "../../api";
import { ErrorText } from "../../components/error-text";
import { editable, ROLE_LABEL, type PolicyRole } from "./describe-policy";

/** Who agreed to the policy, one signature per role, and a form to sign for a role. */
export function Signatures({ team, policy }: { team: string; policy: PolicyResponse }) {
  const { put } = usePolicyWrites(team);
  function sign(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = String(f.get("name") ?? "").trim();
    const role = String(f.get("role")) as PolicyRole;
    put.mutate({
      ...editable(policy),
      agreedBy: [
        ...policy.agreedBy.filter((s) => s.role !== role),
        { name, role, date: new Date().toISOString().slice(0, 10) },
      ],
      reason: `signed by ${name} for ${ROLE_LABEL[role]}`,
    });
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
        <ErrorText error={put.error} inline />
      </form>
    </section>
  );
}
