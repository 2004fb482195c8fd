import { TokenScope } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import type { z } from "zod";
import { useCreateToken, useTokens } from "../../api";
import { ChoiceSelect, choicesOf } from "../../components/choice-select";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";
import { ErrorBox } from "../../components/states";

type Scope = z.infer<typeof TokenScope>;

/** API tokens: create one (its secret is shown once, only its hash is stored) and the list. */
export function Tokens() {
  const tokens = useTokens();
  const create = useCreateToken();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("ingest");
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setError("give the token a name (e.g. 'ci-deploys')");
      return;
    }
    try {
      const t = await create.mutateAsync({ name: name.trim(), scopes: [scope] });
      setSecret(t.token);
      setName("");
    } catch (err) {
      setError(err);
    }
  }
  return (
    <section aria-label="API tokens">
      <h2>API tokens</h2>
      <form className="inline-form" onSubmit={submit} aria-label="New token">
        <label>
          Name <input aria-label="Token name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <ChoiceSelect
          label="Scope"
          ariaLabel="Token scope"
          value={scope}
          choices={choicesOf(TokenScope.options)}
          onChange={(v) => setScope(v as Scope)}
        />
        <button type="submit">Create token</button>
        <ErrorText error={error} inline />
      </form>
      {secret && (
        <div className="banner secret" role="status">
          Copy this token now: it is shown once and only its hash is stored.
          <code data-testid="token-secret">{secret}</code>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            Done
          </button>
        </div>
      )}
      {tokens.error ? (
        <ErrorBox what="tokens" error={tokens.error} />
      ) : (
        <DataTable
          label="Tokens"
          rows={tokens.data ?? []}
          rowKey={(t) => t.id}
          rowProps={() => ({ "data-testid": "token-row" })}
          columns={[
            { header: "Name", cell: (t) => t.name },
            { header: "Prefix", cell: (t) => <code>{t.prefix}…</code> },
            { header: "Scopes", cell: (t) => t.scopes.join(", ") },
            { header: "Team", cell: (t) => t.team ?? "all" },
            { header: "Created", cell: (t) => fmtTime(Date.parse(t.createdAt)) },
            {
              header: "Last used",
              cell: (t) => (t.lastUsedAt ? fmtTime(Date.parse(t.lastUsedAt)) : "never"),
            },
            { header: "State", cell: (t) => (t.revokedAt ? "revoked" : "active") },
          ]}
        />
      )}
    </section>
  );
}
