import { PutMemberBody, TeamRole } from "@burnrate/contracts";
import type { FormEvent } from "react";
import { useMembers, usePutMember, useRemoveMember } from "../../api";
import { DataTable } from "../../components/data-table";
import { ErrorText } from "../../components/error-text";
import { Loading } from "../../components/states";
import { FormFooter, SelectField, TextField } from "../forms/fields";
import { useForm } from "../forms/use-form";

const ROLE_CHOICES = [
  ["editor", "editor"],
  ["viewer", "viewer"],
] as const;

/** A team's members with their roles: change a role, remove a member, add one by email. */
export function Members({ team }: { team: string }) {
  const members = useMembers(team);
  const put = usePutMember();
  const remove = useRemoveMember();
  const form = useForm({ email: "", role: "viewer" }, { email: "Email", role: "Role" });
  async function add(e: FormEvent) {
    e.preventDefault();
    const body = { email: form.values.email.trim(), role: form.values.role };
    if (await form.submit(PutMemberBody, body, (b) => put.mutateAsync({ team, body: b })))
      form.set("email", "");
  }
  return (
    <div>
      <h3>Members of {team}</h3>
      {members.isLoading ? (
        <Loading what="members" />
      ) : (members.data ?? []).length === 0 ? (
        <p className="muted">No members yet: add one below.</p>
      ) : (
        <DataTable
          label="Members"
          rows={members.data!}
          rowKey={(m) => m.email}
          columns={[
            { header: "Email", cell: (m) => m.email },
            { header: "Name", cell: (m) => m.name },
            {
              header: "Role",
              cell: (m) => (
                <select
                  aria-label={`Role of ${m.email}`}
                  value={m.role}
                  onChange={(e) =>
                    put.mutate({ team, body: { email: m.email, role: TeamRole.parse(e.target.value) } })
                  }
                >
                  {TeamRole.options.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              ),
            },
            {
              cell: (m) => (
                <button
                  type="button"
                  className="secondary"
                  aria-label={`Remove ${m.email}`}
                  onClick={() => remove.mutate({ team, email: m.email })}
                >
                  Remove
                </button>
              ),
            },
          ]}
        />
      )}
      <ErrorText error={remove.error} />
      <form className="form card-form" onSubmit={(e) => void add(e)} noValidate aria-label="Add member">
        <div className="form-row">
          <TextField
            form={form}
            name="email"
            id="member-email"
            label="Email"
            type="email"
            placeholder="dana@example.com"
            hint="a user who has signed in before, or one an admin created"
          />
          <SelectField
            form={form}
            name="role"
            id="member-role"
            label="Role"
            choices={ROLE_CHOICES}
            hint="editors change SLOs, the policy and silences"
          />
        </div>
        <FormFooter form={form}>Add member</FormFooter>
      </form>
    </div>
  );
}
