import { CreateTokenBody, TokenScope, type TeamResponse } from "@burnrate/contracts";
import { useState, type FormEvent } from "react";
import { useCreateToken, useRevokeToken, useTokens } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { fmtTime } from "../../components/format";
import { ErrorBox } from "../../components/states";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const SCOPE_WORDS: Record<string, string> = {
  read: "read: dashboards and the release gate",
  write: "write: SLOs, deployments, silences",
  ingest: "ingest: send request logs",
  "history:write": "history:write: import request logs up to 450 days old",
  admin: "admin: everything",
};

/** API tokens: create one (its secret is shown once, only its hash is stored), revoke one, and the list. */
export function Tokens({ teams }: { teams: TeamResponse[] }) {
  const tokens = useTokens();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const form = useForm(
    { name: "", scope: "ingest", team: "" },
    { name: "Name", scopes: "Scope", team: "Team" },
  );
  const [secret, setSecret] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const v = form.values;
    const body = { name: v.name.trim(), scopes: [v.scope], ...(v.team ? { team: v.team } : {}) };
    await form.submit(CreateTokenBody, body, async (b) => {
      const t = await create.mutateAsync(b);
      setSecret(t.token);
      form.set("name", "");
    });
  }
  return (
    <section aria-label="API tokens">
      <h2>API tokens</h2>
      <form className="form card-form" onSubmit={(e) => void submit(e)} noValidate aria-label="New token">
        <div className="form-row">
          <TextField form={form} name="name" id="token-name" label="Name" placeholder="ci-deploys" />
          <SelectField
            form={form}
            name="scope"
            id="token-scope"
            label="Scope"
            errorKey="scopes"
            choices={TokenScope.options.map((s) => [s, SCOPE_WORDS[s] ?? s] as const)}
          />
          <SelectField
            form={form}
            name="team"
            id="token-team"
            label="Team"
            hint="a bound token writes for that team only"
            choices={[["", "all teams"], ...teams.map((t) => [t.slug, t.name] as const)]}
          />
        </div>
        <FormFooter form={form}>Create token</FormFooter>
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
      <ErrorText error={revoke.error} />
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
            {
              cell: (t) =>
                t.revokedAt ? null : (
                  <button
                    type="button"
                    className="secondary"
                    aria-label={`Revoke ${t.name}`}
                    onClick={() => {
                      if (window.confirm(`Revoke the token '${t.name}'? Whatever uses it stops working.`))
                        revoke.mutate(t.id);
                    }}
                  >
                    Revoke
                  </button>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
