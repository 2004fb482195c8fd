import { useState, type FormEvent } from "react";
import { useSaveSsoGroups, useSsoGroups } from "../../api";
import { ErrorText } from "../../components/error-text";
import { FormField, describedBy } from "../forms/form-field";
import { formatLine, parseLines } from "./sso-lines";

/**
 * The organisation's single sign-on group mapping (org admins): which identity-provider groups give which team
 * roles at sign-in. Without a saved mapping the environment's (OIDC_GROUP_ROLES) applies.
 */
export function SsoGroups() {
  const current = useSsoGroups();
  const save = useSaveSsoGroups();
  const [problem, setProblem] = useState("");
  const data = current.data;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = parseLines(String(new FormData(e.currentTarget).get("mapping") ?? ""));
    if (typeof parsed === "string") return setProblem(parsed);
    setProblem("");
    save.mutate(parsed);
  }
  const text = (data?.groupRoles ?? []).map(formatLine).join("\n");
  return (
    <section aria-label="Single sign-on group mapping">
      <h2>Group mapping</h2>
      <p className="muted">
        At each sign-in through the identity provider, a user's groups set their role in every team named
        here: one line per group, <code>group=team:editor</code>, <code>group=team:viewer</code> or{" "}
        <code>group=admin</code>. Without a saved mapping, the server's <code>OIDC_GROUP_ROLES</code> applies.
        A change applies from each user's next sign-in.
      </p>
      {current.error ? (
        <ErrorText error={current.error} />
      ) : (
        <form className="card" onSubmit={submit} aria-label="Group mapping">
          <p data-testid="sso-source">
            {data?.source === "setting"
              ? `Saved mapping, by ${data.updatedBy ?? "?"}${data.updatedAt ? ` on ${new Date(data.updatedAt).toLocaleString()}` : ""}.`
              : "In use: the server's default (OIDC_GROUP_ROLES)."}
          </p>
          <FormField
            label="Groups and roles"
            htmlFor="sso-mapping"
            hint="One line per group, e.g. payments-editors=payments:editor"
          >
            <textarea
              id="sso-mapping"
              name="mapping"
              rows={6}
              key={text}
              defaultValue={text}
              spellCheck={false}
              className="mapping-lines"
              {...describedBy("sso-mapping", undefined)}
            />
          </FormField>
          {data && data.source === "setting" && (
            <p className="muted">
              Server default:{" "}
              {data.environment.length ? <code>{data.environment.map(formatLine).join(", ")}</code> : "none"}
            </p>
          )}
          <ErrorText error={problem || save.error} />
          <div className="actions">
            <button type="submit" disabled={save.isPending || !data}>
              Save mapping
            </button>
            <button
              type="button"
              disabled={save.isPending || data?.source !== "setting"}
              onClick={() => save.mutate(null)}
            >
              Use the server default
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
