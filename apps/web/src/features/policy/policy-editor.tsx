import type { PolicyResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { usePolicyWrites, type PutPolicyInput } from "../../api";
import { ErrorText } from "../../components/error-text";
import { editable } from "./describe-policy";
import { policyTemplate } from "./policy-template";

/** The policy as JSON, checked by the API (its errors name the field), with a required reason. */
export function PolicyEditor({
  team,
  current,
  onDone,
}: {
  team: string;
  current: PolicyResponse | null;
  onDone: () => void;
}) {
  const { put } = usePolicyWrites(team);
  const [text, setText] = useState(() =>
    JSON.stringify(
      current ? { ...editable(current), agreedBy: undefined } : policyTemplate(Date.now()),
      null,
      2,
    ),
  );
  const [reason, setReason] = useState("");
  const [jsonError, setJsonError] = useState<string | null>(null);
  function save(e: FormEvent) {
    e.preventDefault();
    setJsonError(null);
    put.reset();
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      setJsonError(`not valid JSON: ${(err as Error).message}`);
      return;
    }
    // Changing the text of a policy asks everyone to agree again: signatures are kept only when unchanged.
    // The text is the user's: the API checks it and names the field that is wrong.
    put.mutateAsync({ ...body, agreedBy: current?.agreedBy ?? [], reason } as PutPolicyInput).then(
      onDone,
      () => {}, // shown from put.error
    );
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
      <ErrorText error={jsonError ?? put.error} />
      <button type="submit" disabled={put.isPending}>
        Save policy
      </button>
    </form>
  );
}
