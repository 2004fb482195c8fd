import { CreatedTokenResponse, SlackTestResponse, TokenScope } from "@burnrate/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, ApiError } from "../../api/client";
import { useMembers, useSlackSettings, useTeams, useTokens } from "../../api/hooks";
import { fmtTime } from "../../components/format";
import { ErrorBox, Loading } from "../../components/states";
import { useUrlState } from "../../components/url-state";
import { Priorities } from "./priorities";

/** Teams and their members, API tokens (the secret is shown once), Slack status and a test message. */
export function SettingsPage() {
  const teams = useTeams();
  const { get, set } = useUrlState();
  const team = get("team") || teams.data?.[0]?.slug || "";
  const members = useMembers(team);
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted">Teams, members, API tokens, Slack and incident priorities.</p>
        </div>
      </div>
      <section aria-label="Teams">
        <h2>Teams</h2>
        {teams.isLoading ? (
          <Loading what="teams" />
        ) : teams.error ? (
          <ErrorBox what="teams" error={teams.error} />
        ) : teams.data!.length === 0 ? (
          <p className="muted">
            No team yet: create one with <code>POST /api/v1/teams</code>.
          </p>
        ) : (
          <div className="two-col">
            <table className="grid" aria-label="Teams">
              <thead>
                <tr>
                  <th>Team</th>
                  <th>Name</th>
                  <th>Slack channel</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {teams.data!.map((t) => (
                  <tr key={t.id} className={t.slug === team ? "selected" : undefined}>
                    <td>{t.slug}</td>
                    <td>{t.name}</td>
                    <td>{t.slackChannel ?? <span className="muted">none</span>}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => set({ team: t.slug })}
                        aria-pressed={t.slug === team}
                      >
                        Members
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div>
              <h3>Members of {team}</h3>
              {members.isLoading ? (
                <Loading what="members" />
              ) : (members.data ?? []).length === 0 ? (
                <p className="muted">
                  No members. Add one with <code>PUT /api/v1/teams/{team}/members</code>.
                </p>
              ) : (
                <table className="grid" aria-label="Members">
                  <thead>
                    <tr>
                      <th>Email</th>
                      <th>Name</th>
                      <th>Role</th>
                    </tr>
                  </thead>
                  <tbody>
                    {members.data!.map((m) => (
                      <tr key={m.email}>
                        <td>{m.email}</td>
                        <td>{m.name}</td>
                        <td>{m.role}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          </div>
        )}
      </section>
      <Tokens />
      <Slack team={team} />
      <Priorities />
    </div>
  );
}

function Tokens() {
  const tokens = useTokens();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<string>("ingest");
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function create(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim()) {
      setError("give the token a name (e.g. 'ci-deploys')");
      return;
    }
    try {
      const t = await api(CreatedTokenResponse, "/api/v1/tokens", {
        method: "POST",
        json: { name: name.trim(), scopes: [scope] },
      });
      setSecret(t.token);
      setName("");
      await qc.invalidateQueries({ queryKey: ["tokens"] });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }
  return (
    <section aria-label="API tokens">
      <h2>API tokens</h2>
      <form className="inline-form" onSubmit={create} aria-label="New token">
        <label>
          Name <input aria-label="Token name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Scope
          <select aria-label="Token scope" value={scope} onChange={(e) => setScope(e.target.value)}>
            {TokenScope.options.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button type="submit">Create token</button>
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
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
        <table className="grid" aria-label="Tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Scopes</th>
              <th>Team</th>
              <th>Created</th>
              <th>Last used</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {(tokens.data ?? []).map((t) => (
              <tr key={t.id} data-testid="token-row">
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.scopes.join(", ")}</td>
                <td>{t.team ?? "all"}</td>
                <td>{fmtTime(Date.parse(t.createdAt))}</td>
                <td>{t.lastUsedAt ? fmtTime(Date.parse(t.lastUsedAt)) : "never"}</td>
                <td>{t.revokedAt ? "revoked" : "active"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Slack({ team }: { team: string }) {
  const slack = useSlackSettings();
  const [result, setResult] = useState<string | null>(null);
  async function test() {
    try {
      const r = await api(SlackTestResponse, `/api/v1/teams/${team}/slack-test`, { method: "POST" });
      setResult(`Test message posted to ${r.channel}.`);
    } catch (e) {
      setResult(`Test failed: ${e instanceof ApiError ? e.message : String(e)}`);
    }
  }
  return (
    <section aria-label="Slack">
      <h2>Slack</h2>
      {slack.isLoading ? (
        <Loading what="Slack status" />
      ) : slack.error ? (
        <ErrorBox what="Slack status" error={slack.error} />
      ) : (
        <div className="kpis">
          <div className={`kpi ${slack.data!.configured ? "" : "bad"}`}>
            <div className="kpi-label">Bot token</div>
            <div className="kpi-value" data-testid="slack-configured">
              {slack.data!.configured ? "configured" : "not set"}
            </div>
            <div className="kpi-sub muted">{slack.data!.message}</div>
          </div>
          <div className="kpi">
            <div className="kpi-label">Interactivity</div>
            <div className="kpi-value">{slack.data!.signingSecretConfigured ? "verified" : "off"}</div>
            <div className="kpi-sub muted">
              <code>{slack.data!.interactivityUrl}</code>
            </div>
          </div>
        </div>
      )}
      <p>
        <button type="button" onClick={() => void test()} disabled={!team}>
          Send a test message to {team || "a team"}&apos;s channel
        </button>{" "}
        {result && <span role="status">{result}</span>}
      </p>
    </section>
  );
}
